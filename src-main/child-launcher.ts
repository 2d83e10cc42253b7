/**
 * The seam between the gateway supervisor and whatever starts processes: `child_process.spawn` under
 * plain Node (tests, CLI), Electron's `utilityProcess.fork` in the app. The supervisor only needs this.
 */
export interface SupervisedChild {
  /** Undefined when the process could not be started at all; an exit is reported then too. */
  readonly pid: number | undefined;
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
  /** Called once, when the process has exited (or failed to start: code and signal both null). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  onStdout(listener: (line: string) => void): void;
  onStderr(listener: (line: string) => void): void;
}

export interface ChildLauncher {
  /** Starts one gateway process with exactly `env` as its environment. */
  start(env: Record<string, string>): SupervisedChild;
}
