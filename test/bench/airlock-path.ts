// The `airlock` path: the Airlock gateway (recording on, as shipped) in front of the bench server.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnvironment, onCleanup, spawnOwned, stopTree, type OwnedChild } from './children.js';
import type { PathName, RunningPath } from './paths.js';
import { BENCH_SERVER, REPO_ROOT } from './server-command.js';
import { connectHttp, START_TIMEOUT_MS } from './session.js';

const AIRLOCK_BIN = join(REPO_ROOT, 'bin', 'airlock.js');

interface Runtime {
  url: string;
  pid: number;
}

function readRuntime(file: string): Runtime | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const runtime = JSON.parse(readFileSync(file, 'utf8')) as Partial<Runtime>;
    return typeof runtime.url === 'string' && typeof runtime.pid === 'number' ? { url: runtime.url, pid: runtime.pid } : undefined;
  } catch {
    // Caught between create and write; the next poll reads it whole.
    return undefined;
  }
}

async function createToken(configFile: string, dataDir: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [AIRLOCK_BIN, 'token', 'create', 'bench', '--config', configFile, '--data-dir', dataDir],
    { cwd: REPO_ROOT, env: childEnvironment(), timeout: START_TIMEOUT_MS },
  );
  const token = stdout.trim();
  if (token === '' || /\s/.test(token)) throw new Error(`airlock token create printed no single token: ${JSON.stringify(stdout)}`);
  return token;
}

async function waitForRuntime(gateway: OwnedChild, file: string): Promise<Runtime> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const runtime = readRuntime(file);
    if (runtime) return runtime;
    if (gateway.process.exitCode !== null || gateway.process.signalCode !== null) {
      throw new Error(`airlock gateway exited before writing runtime.json:\n${gateway.output()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`airlock gateway wrote no runtime.json within ${START_TIMEOUT_MS} ms:\n${gateway.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface AirlockVariant {
  name: PathName;
  /** A policy to run with instead of the embedded default. */
  policy?: unknown;
}

/** Starts `airlock gateway` on an ephemeral loopback port with a fresh data dir and one client token. */
export async function startAirlock(variant: AirlockVariant = { name: 'airlock' }): Promise<RunningPath> {
  const dataDir = mkdtempSync(join(tmpdir(), 'airlock-bench-'));
  const removeDataDir = onCleanup(() => rmSync(dataDir, { recursive: true, force: true }));
  let gateway: OwnedChild | undefined;
  const stop = async (runtimePid?: number) => {
    if (gateway) await stopTree(gateway.pid);
    if (runtimePid !== undefined && runtimePid !== gateway?.pid) await stopTree(runtimePid);
    removeDataDir();
  };
  try {
    const configFile = join(dataDir, 'airlock.json');
    const policyFile = join(dataDir, 'policy.json');
    if (variant.policy !== undefined) writeFileSync(policyFile, JSON.stringify(variant.policy));
    const config = { listen: { host: '127.0.0.1', port: 0 }, servers: { bench: BENCH_SERVER }, ...(variant.policy === undefined ? {} : { policy: policyFile }) };
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    const token = await createToken(configFile, dataDir);
    gateway = spawnOwned('airlock', process.execPath,
      [AIRLOCK_BIN, 'gateway', '--config', configFile, '--data-dir', dataDir, '--port', '0'], { cwd: REPO_ROOT });
    const runtime = await waitForRuntime(gateway, join(dataDir, 'runtime.json'));
    const base = new URL(runtime.url);
    if (base.hostname !== '127.0.0.1') throw new Error(`airlock gateway listens on ${base.hostname}, not 127.0.0.1`);
    const agentUrl = new URL('/servers/bench/mcp', base).toString();
    return {
      name: variant.name,
      proxyPid: runtime.pid,
      describe: gateway.process.spawnargs.slice(1).join(' '),
      connect: () => connectHttp(agentUrl, { Authorization: `Bearer ${token}` }),
      stop: () => stop(runtime.pid),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
