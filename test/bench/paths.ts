// Starts each path the bench compares. A path is "SDK client → something → the bench server".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { freePort, spawnOwned, stopTree, waitForPort, type OwnedChild } from './children.js';
import { connectHttp, connectStdio, START_TIMEOUT_MS, withTimeout, type Session } from './session.js';
import { BENCH_SERVER, REPO_ROOT, shellLine, tsxCommand } from './server-command.js';
import { startAirlock } from './airlock-path.js';
import { realisticPolicy } from './realistic-policy.js';

export const PATH_NAMES = ['direct-stdio', 'direct-http', 'supergateway', 'mcp-proxy', 'airlock', 'airlock-no-policy', 'airlock-200-rules', 'airlock-no-masking'] as const;
export type PathName = (typeof PATH_NAMES)[number];

/** The peer proxies Airlock is compared with. */
export const PEERS: readonly PathName[] = ['supergateway', 'mcp-proxy'];

/** A started path. */
export interface RunningPath {
  name: PathName;
  /** The process in the middle whose CPU and memory are measured; undefined when nothing is in between. */
  proxyPid: number | undefined;
  /** The command line of the process in the middle, for the report. */
  describe: string;
  connect(): Promise<Session>;
  stop(): Promise<void>;
}

function packageBin(name: string): string {
  const packageDir = join(REPO_ROOT, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin[name];
  if (!bin) throw new Error(`${name} declares no bin`);
  return join(packageDir, bin);
}

function running(name: PathName, child: OwnedChild, url: string): RunningPath {
  return {
    name,
    proxyPid: child.pid,
    describe: child.process.spawnargs.slice(1).join(' '),
    connect: () => connectHttp(url),
    stop: () => stopTree(child.pid),
  };
}

async function startDirectStdio(): Promise<RunningPath> {
  return {
    name: 'direct-stdio',
    proxyPid: undefined,
    describe: '(none: the SDK client spawns the server)',
    connect: () => connectStdio(BENCH_SERVER, REPO_ROOT),
    stop: async () => {},
  };
}

async function startDirectHttp(): Promise<RunningPath> {
  const server = tsxCommand('bench-http-server.ts');
  const child = spawnOwned('bench-http-server', server.command, server.args, { cwd: REPO_ROOT, stdin: 'pipe' });
  const lines = createInterface({ input: child.process.stdout! });
  try {
    const url = await withTimeout(
      new Promise<string>((resolve, reject) => {
        lines.once('line', (line) => {
          try {
            resolve((JSON.parse(line) as { url: string }).url);
          } catch {
            reject(new Error(`bench-http-server printed ${JSON.stringify(line)} instead of its URL`));
          }
        });
        child.process.once('exit', () => reject(new Error(`bench-http-server exited:\n${child.output()}`)));
      }),
      START_TIMEOUT_MS,
      'starting bench-http-server',
    );
    return { ...running('direct-http', child, url), proxyPid: undefined, describe: '(none: the SDK StreamableHTTPServerTransport serves the tools)' };
  } catch (error) {
    await stopTree(child.pid);
    throw error;
  } finally {
    lines.close();
  }
}

const LOOPBACK_PRELOAD = fileURLToPath(new URL('./loopback-listen.mjs', import.meta.url));

async function startSupergateway(): Promise<RunningPath> {
  const port = await freePort();
  // --logLevel none: at its default level supergateway logs every message, 64 KiB results included,
  // which would measure its logging rather than its proxying.
  const args = ['--import', LOOPBACK_PRELOAD, packageBin('supergateway'), '--stdio', shellLine(BENCH_SERVER),
    '--outputTransport', 'streamableHttp', '--stateful', '--port', String(port), '--logLevel', 'none'];
  const child = spawnOwned('supergateway', process.execPath, args, { cwd: REPO_ROOT });
  await waitForPort(child, port, START_TIMEOUT_MS);
  return running('supergateway', child, `http://127.0.0.1:${port}/mcp`);
}

async function startMcpProxy(): Promise<RunningPath> {
  const port = await freePort();
  const args = [packageBin('mcp-proxy'), '--host', '127.0.0.1', '--port', String(port), '--no-eventStore',
    '--', BENCH_SERVER.command, ...BENCH_SERVER.args];
  const child = spawnOwned('mcp-proxy', process.execPath, args, { cwd: REPO_ROOT });
  await waitForPort(child, port, START_TIMEOUT_MS);
  return running('mcp-proxy', child, `http://127.0.0.1:${port}/mcp`);
}

const STARTERS: Record<PathName, () => Promise<RunningPath>> = {
  'direct-stdio': startDirectStdio,
  'direct-http': startDirectHttp,
  supergateway: startSupergateway,
  'mcp-proxy': startMcpProxy,
  airlock: () => startAirlock(),
  // The cost of policy: the same gateway with no rules at all, and with a realistic 200-rule policy.
  'airlock-no-policy': () => startAirlock({ name: 'airlock-no-policy', policy: { rules: [] } }),
  'airlock-200-rules': () => startAirlock({ name: 'airlock-200-rules', policy: realisticPolicy() }),
  // The cost of masking: no rules either way, masking off here and on (the default) in airlock-no-policy.
  'airlock-no-masking': () => startAirlock({ name: 'airlock-no-masking', policy: { rules: [], masking: { enabled: false } } }),
};

/** Starts one path; the caller stops it (and `stopAllOwned` catches whatever is left on error). */
export function startPath(name: PathName): Promise<RunningPath> {
  return STARTERS[name]();
}
