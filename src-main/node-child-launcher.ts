import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildLauncher, SupervisedChild } from './child-launcher.js';

export interface NodeChildLauncherOptions {
  dataDir: string;
  /** The gateway's config file; without it the gateway looks in the user's config dir, else uses its default. */
  configFile?: string;
  /** Defaults to `bin/airlock.js` of this package. */
  airlockBin?: string;
  /** The Node binary; defaults to the one running this code. */
  node?: string;
  /** Runs this script with these arguments instead of the gateway, e.g. a test fixture. */
  command?: { script: string; args: string[] };
}

/** Starts the gateway as `node bin/airlock.js gateway --data-dir … --port 0` with `child_process.spawn`. */
export function nodeChildLauncher(options: NodeChildLauncherOptions): ChildLauncher {
  const bin = options.airlockBin ?? join(findPackageRoot(), 'bin', 'airlock.js');
  const args = options.command
    ? [options.command.script, ...options.command.args]
    : [bin, 'gateway', '--data-dir', options.dataDir, '--port', '0', ...(options.configFile ? ['--config', options.configFile] : [])];
  return {
    start(env) {
      const child = spawn(options.node ?? process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      let exit: { code: number | null; signal: string | null } | undefined;
      const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
      const exited = (code: number | null, signal: string | null) => {
        if (exit) return;
        exit = { code, signal };
        for (const listener of exitListeners) listener(code, signal);
      };
      child.once('exit', exited);
      // A spawn failure emits 'error' and no 'exit'.
      child.once('error', () => {
        if (child.pid === undefined) exited(null, null);
      });
      const lines = (stream: NodeJS.ReadableStream) => {
        const listeners: Array<(line: string) => void> = [];
        createInterface({ input: stream }).on('line', (line) => listeners.forEach((listener) => listener(line)));
        return (listener: (line: string) => void) => void listeners.push(listener);
      };
      const supervised: SupervisedChild = {
        pid: child.pid,
        kill: (signal) => void child.kill(signal),
        onExit(listener) {
          if (exit) listener(exit.code, exit.signal);
          else exitListeners.push(listener);
        },
        onStdout: lines(child.stdout!),
        onStderr: lines(child.stderr!),
      };
      return supervised;
    },
  };
}

/** Walks up to package.json, because this file runs both from the sources and compiled, at different depths. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Airlock package root');
    dir = parent;
  }
  return dir;
}
