import { utilityProcess } from 'electron';
import { createInterface } from 'node:readline';
import type { ChildLauncher, SupervisedChild } from './child-launcher.js';

export interface UtilityLauncherOptions {
  /** The bundled gateway entry (`dist-app/gateway.mjs`), which takes the CLI's arguments. */
  entry: string;
  dataDir: string;
  configFile?: string;
}

/**
 * Starts the gateway as an Electron utility process: a Node process of the app itself, so a
 * packaged app needs no separate Node. `kill()` of a utility process is SIGTERM; SIGKILL goes
 * through `process.kill` on its pid.
 */
export function utilityLauncher(options: UtilityLauncherOptions): ChildLauncher {
  const args = ['gateway', '--data-dir', options.dataDir, '--port', '0', ...(options.configFile ? ['--config', options.configFile] : [])];
  return {
    start(env) {
      const child = utilityProcess.fork(options.entry, args, { env, stdio: 'pipe', serviceName: 'Airlock gateway' });
      // `child.pid` is undefined until 'spawn' and again after 'exit'; the supervisor needs it in between.
      let pid: number | undefined;
      let exit: { code: number | null } | undefined;
      const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
      child.once('spawn', () => (pid = child.pid));
      child.once('exit', (code) => {
        exit = { code };
        for (const listener of exitListeners) listener(code, null);
      });
      const lines = (stream: NodeJS.ReadableStream | null) => {
        const listeners: Array<(line: string) => void> = [];
        if (stream) createInterface({ input: stream }).on('line', (line) => listeners.forEach((listener) => listener(line)));
        return (listener: (line: string) => void) => void listeners.push(listener);
      };
      const supervised: SupervisedChild = {
        get pid() {
          return pid ?? child.pid;
        },
        kill(signal) {
          if (signal === 'SIGTERM') child.kill();
          else if (pid !== undefined && !exit) {
            try {
              process.kill(pid, 'SIGKILL');
            } catch {
              // Already gone: its exit event follows.
            }
          }
        },
        onExit(listener) {
          if (exit) listener(exit.code, null);
          else exitListeners.push(listener);
        },
        onStdout: lines(child.stdout),
        onStderr: lines(child.stderr),
      };
      return supervised;
    },
  };
}
