import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import Database from 'better-sqlite3';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const REPO = resolve(import.meta.dirname, '../..');
export const AIRLOCK_BIN = join(REPO, 'bin/airlock.js');
export const TSX_IMPORT = ['--import', 'tsx'];
/** Runs a TypeScript fixture as a server process (stdio), with the repo's node_modules. */
export const fixtureCommand = (file: string, ...args: string[]) => ({
  command: process.execPath,
  args: [...TSX_IMPORT, join(REPO, 'test/fixtures', file), ...args],
  cwd: REPO,
});

const execFileAsync = promisify(execFile);

/** Runs the airlock CLI to completion; never throws on a non-zero exit. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [AIRLOCK_BIN, ...args], { cwd: REPO, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export interface GatewayProcess {
  url: string;
  dataDir: string;
  configPath: string;
  /** A token of the client "test". */
  token: string;
  child: ChildProcess;
  output(): string;
  agentUrl(server: string): URL;
  connect(server: string, options?: { token?: string; clientOptions?: ClientOptions; name?: string }): Promise<Client>;
  stop(): Promise<void>;
}

export interface GatewayProcessOptions {
  /**
   * A launcher put before node (e.g. `setpriv` to run as another user), given the data dir the
   * gateway will create; called before the spawn, so it may also prepare the dir's parent.
   */
  wrap?: (dataDir: string) => string[];
}

/**
 * Starts `airlock gateway` as a real child process with its own config and data dir. `bin` runs
 * another build of the CLI, e.g. the desktop app's gateway bundle.
 */
export async function startGatewayProcess(config: Record<string, unknown>, env: Record<string, string> = {}, bin = AIRLOCK_BIN, options: GatewayProcessOptions = {}): Promise<GatewayProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-test-'));
  const dataDir = join(dir, 'data');
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, ...config }));
  const [command, ...args] = [...(options.wrap?.(dataDir) ?? []), process.execPath, bin, 'gateway', '--config', configPath, '--data-dir', dataDir];
  const child = spawn(command, args, {
    cwd: REPO,
    // Secrets from AIRLOCK_SECRET_* only, so no test reads or writes the developer's own keychain;
    // keychain tests pass `startKeyringSession().env`, which chooses a private one.
    env: { ...process.env, AIRLOCK_LOG_LEVEL: 'debug', AIRLOCK_SECRET_STORE: 'env', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const runtimeFile = join(dataDir, 'runtime.json');
  const deadline = Date.now() + 20_000;
  while (!existsSync(runtimeFile) || !output.includes('Agent URL') && Object.keys((config.servers as object) ?? {}).length > 0) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`gateway did not start in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const { url } = JSON.parse(readFileSync(runtimeFile, 'utf8')) as { url: string };
  const created = await runCli(['token', 'create', 'test', '--config', configPath, '--data-dir', dataDir]);
  if (created.code !== 0) throw new Error(`token create failed: ${created.stderr}`);
  const token = created.stdout.trim();
  const clients: Client[] = [];

  return {
    url,
    dataDir,
    configPath,
    token,
    child,
    output: () => output,
    agentUrl: (server) => new URL(`/servers/${server}/mcp`, url),
    async connect(server, options = {}) {
      const client = new Client({ name: options.name ?? 'airlock-test', version: '1.0.0' }, options.clientOptions);
      const transport = new StreamableHTTPClientTransport(new URL(`/servers/${server}/mcp`, url), {
        requestInit: { headers: { Authorization: `Bearer ${options.token ?? token}` } },
      });
      await client.connect(transport);
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.close().catch(() => {})));
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lines the probe server wrote to its call log. */
export function readProbeLog(path: string): Array<Record<string, unknown>> {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a read-only query on a gateway's store, as a person browsing it with sqlite3 would. */
export function queryStore<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, 'airlock.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Every tool a server lists, following `nextCursor` through all pages, and how many pages there were. */
export async function listAllTools(client: Client): Promise<{ pages: number; tools: Tool[]; names: string[] }> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor });
    tools.push(...page.tools);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor !== undefined && pages < 20);
  return { pages, tools, names: tools.map((tool) => tool.name) };
}
