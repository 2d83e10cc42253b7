// Owns every process the bench starts: spawns with an allowlisted environment, keeps the tail of their
// output for error messages, and stops them (SIGTERM, then SIGKILL) together with their descendants.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { descendants, processIdentity } from './proc-stats.js';

const OUTPUT_TAIL_CHARS = 8192;
const STOP_GRACE_MS = 3000;

/** A process started by the bench. */
export interface OwnedChild {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  /** The last few KiB of its stdout and stderr, for error messages. */
  output(): string;
  /** Resolves when it has exited (immediately if it already has). */
  exited(): Promise<void>;
}

interface Tracked {
  pid: number;
  startTime: string;
}

const owned = new Map<number, Tracked>();
const cleanups = new Set<() => void>();

/**
 * Registers a synchronous cleanup (e.g. removing a temp dir) that runs when everything is stopped,
 * on error or signal included; returns a function that runs it now and unregisters it.
 */
export function onCleanup(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => {
    if (cleanups.delete(cleanup)) cleanup();
  };
}

function runCleanups(): void {
  for (const cleanup of cleanups) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: the rest still run.
    }
  }
}

/** Only these variables reach a child: the SDK's allowlist for spawned servers. */
export function childEnvironment(): Record<string, string> {
  return getDefaultEnvironment();
}

/** Spawns `command args` as a bench-owned child; stdout and stderr are drained into a tail buffer. */
export function spawnOwned(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; stdin?: 'pipe' | 'ignore' },
): OwnedChild {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: childEnvironment(),
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
  const pid = child.pid;
  const identity = processIdentity(pid);
  if (identity) owned.set(pid, { pid, startTime: identity.startTime });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exit = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
  });
  return { name, process: child, pid, output: () => tail, exited: () => exit };
}

/** Marks a process the bench did not spawn itself (e.g. one the SDK spawned) as one to stop at the end. */
export function adoptPid(pid: number): void {
  const identity = processIdentity(pid);
  if (identity) owned.set(pid, { pid, startTime: identity.startTime });
}

function isSameProcess(tracked: Tracked): boolean {
  return processIdentity(tracked.pid)?.startTime === tracked.startTime;
}

function signal(tracked: Tracked, name: NodeJS.Signals): void {
  // The start time check keeps a recycled pid from being signalled.
  if (!isSameProcess(tracked)) return;
  try {
    process.kill(tracked.pid, name);
  } catch {
    // Already gone.
  }
}

async function waitUntilGone(processes: Tracked[], deadlineMs: number): Promise<void> {
  while (processes.some(isSameProcess) && Date.now() < deadlineMs) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Stops `pid` and everything it started: SIGTERM first so it can clean up, SIGKILL what is left. */
export async function stopTree(pid: number): Promise<void> {
  const root = owned.get(pid) ?? (() => {
    const identity = processIdentity(pid);
    return identity ? { pid, startTime: identity.startTime } : undefined;
  })();
  owned.delete(pid);
  if (!root || !isSameProcess(root)) return;
  const tree = [root, ...descendants(pid)];
  signal(root, 'SIGTERM');
  await waitUntilGone([root], Date.now() + STOP_GRACE_MS);
  await waitUntilGone(tree, Date.now() + 500);
  for (const member of tree) signal(member, 'SIGKILL');
  await waitUntilGone(tree, Date.now() + 1000);
}

/** Stops every process the bench still owns, then runs the cleanups; safe to call more than once. */
export async function stopAllOwned(): Promise<void> {
  await Promise.all([...owned.keys()].map((pid) => stopTree(pid)));
  runCleanups();
}

/** Last resort from a synchronous `exit` handler: SIGKILL whatever is still owned, run the cleanups. */
export function killAllOwnedNow(): void {
  for (const tracked of owned.values()) signal(tracked, 'SIGKILL');
  owned.clear();
  runCleanups();
}

/** A TCP port on 127.0.0.1 that was free a moment ago, for tools that need a fixed --port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Waits until `child` accepts TCP connections on 127.0.0.1:`port`; fails if it exits or time runs out. */
export async function waitForPort(child: OwnedChild, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited before listening:\n${child.output()}`);
    }
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${child.name} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${child.output()}`);
}
