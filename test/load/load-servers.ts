// The upstream servers of the load runs: a stdio server cheap enough to start a thousand times
// (awk, about a megabyte each) and the SDK-based probe server over Streamable HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO, TSX_IMPORT } from '../helpers/gateway-process.js';

/** The awk stdio server, run by mawk: its `-W interactive` reads and answers line by line (gawk has no such mode). */
export const TINY_STDIO_SERVER = { command: 'mawk', args: ['-W', 'interactive', '-f', join(REPO, 'test/fixtures/tiny-stdio-server.awk')] };

/**
 * Starts the probe server over Streamable HTTP and returns its URL; `port` 0 picks a free one.
 * Node's default 5 s keep-alive races the gateway's next POST on a pooled connection once either
 * side lags (the gateway then answers -32002); load runs set it as long as the gateway's own.
 */
export async function startHttpProbe(port = 0, env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...TSX_IMPORT, join(REPO, 'test/fixtures/probe-server.ts'), '--http'], {
    cwd: REPO,
    env: { ...process.env, PROBE_HTTP_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  if (first.done) throw new Error('the HTTP probe server exited before printing its URL');
  return { url: (JSON.parse(first.value as string) as { url: string }).url, child };
}

/** Stops a server process and waits for it to be gone. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
