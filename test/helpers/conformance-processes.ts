// Child processes of the conformance test (the suite's CLI, npm, the conformance fixture server):
// started with an allowlisted environment, stopped with SIGTERM, then SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fixtureCommand } from './gateway-process.js';

const ENV_ALLOWLIST = [
  'PATH', 'HOME', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'SystemRoot', 'TMPDIR', 'TEMP', 'TMP', 'LANG',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy',
];

/** The allowlisted part of our environment, plus `extra`: what every child of this test gets. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ENV_ALLOWLIST) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, ...extra };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; kills it (and rejects) when it outlives `timeoutMs`. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; shell?: boolean },
): Promise<Finished> {
  const { cwd, env, shell } = options;
  const child = spawn(command, args, { cwd, env, shell, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stop(child);
  }, options.timeoutMs);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    if (signal !== null) {
      const why = timedOut ? `stopped after ${options.timeoutMs} ms` : `killed by ${signal}`;
      throw new Error(`${command} ${args.join(' ')} was ${why}\n${stdout}\n${stderr}`);
    }
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export interface ConformanceServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts test/fixtures/conformance-server.ts over Streamable HTTP on an ephemeral loopback port. */
export async function startConformanceServer(timeoutMs = 20_000): Promise<ConformanceServer> {
  const { command, args, cwd } = fixtureCommand('conformance-server.ts');
  const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`conformance server not listening after ${timeoutMs} ms\n${stderr}`)),
      timeoutMs,
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`conformance server exited (${code}) before listening\n${stderr}`));
    });
  }).catch(async (error: unknown) => {
    await stop(child);
    throw error;
  });
  return { url, stop: () => stop(child) };
}
