import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIRLOCK_BIN, REPO } from './gateway-process.js';
import type { TestCa } from './test-ca.js';

export interface HubProcess {
  url: string;
  port: number;
  /** The hub's data dir (its SQLite audit store), kept across `stop` and `restart`. */
  dataDir: string;
  policyDir: string;
  child: ChildProcess;
  output(): string;
  /** Stops the process; its dirs stay, for `restart`. */
  stop(): Promise<void>;
  /** Starts the hub again on the same port and data dir. */
  restart(): Promise<HubProcess>;
  /** Stops it and removes its dirs. */
  remove(): Promise<void>;
}

export interface HubProcessOptions {
  ca: TestCa;
  issuer: string;
  audience: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The bundle to serve; a minimal valid one unless given. */
  bundle?: unknown;
}

/** Runs `airlock hub` as a real child process with the test CA's server certificate, trusting the test CA. */
export async function startHubProcess(options: HubProcessOptions, root = mkdtempSync(join(tmpdir(), 'airlock-hub-'))): Promise<HubProcess> {
  const dataDir = join(root, 'data');
  const policyDir = join(root, 'policy');
  mkdirSync(policyDir, { recursive: true });
  writeFileSync(join(policyDir, 'bundle.json'), JSON.stringify(options.bundle ?? { version: 'test-1', policy: { rules: [] } }));
  const { ca } = options;
  const args = [
    AIRLOCK_BIN, 'hub', '--cert', ca.certPath, '--key', ca.keyPath, '--ca-file', ca.caPath, '--issuer', options.issuer,
    '--audience', options.audience, '--policy-dir', policyDir, '--data-dir', dataDir, '--port', String(options.port ?? 0),
  ];
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, AIRLOCK_LOG_LEVEL: 'debug' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 20_000;
  let match: RegExpExecArray | null;
  while (!(match = /Airlock hub listening on (https:\/\/\S+)/.exec(output))) {
    if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`hub did not start in time:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = match[1];
  const port = Number(new URL(url).port);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    port,
    dataDir,
    policyDir,
    child,
    output: () => output,
    stop,
    restart: () => startHubProcess({ ...options, port }, root),
    remove: async () => {
      await stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
