import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIRLOCK_BIN, fixtureCommand, queryStore, readProbeLog, REPO, startGatewayProcess, TSX_IMPORT, type GatewayProcess } from '../../helpers/gateway-process.js';
import { keyringMissing, startKeyringSession, type KeyringSession } from '../../helpers/keyring-session.js';

const PROBE_VALUE = 'sk-live-probe-3a9f0c21-keychain-only';
const REMOTE_VALUE = 'rt-remote-88d1e5b7-keychain-only';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;

/** `airlock secret set <name>` with the value on stdin, as a person or script would store it. */
function storeSecret(name: string, value: string, env: Record<string, string>): void {
  execFileSync(process.execPath, [AIRLOCK_BIN, 'secret', 'set', name], { cwd: REPO, input: value, env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
}

/** The raw bytes of every file in a data dir: the database, its -wal and -shm, tokens, runtime file. */
function dataDirBytes(dir: string): { names: string[]; text: string } {
  const names = readdirSync(dir);
  return { names, text: names.map((name) => readFileSync(join(dir, name)).toString('latin1')).join('\n') };
}

/** The control API's answers, as text, for the routes that show servers, sessions and messages. */
async function controlAnswers(gateway: GatewayProcess): Promise<string> {
  const token = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
  const get = (path: string, method = 'GET') =>
    fetch(new URL(path, gateway.url), { method, headers: { authorization: `Bearer ${token}` } }).then((response) => response.text());
  const paths = ['/control/health', '/control/connections', '/control/activity', '/control/stats', '/control/policy', '/control/clients'];
  const sessions = queryStore<{ id: string }>(gateway.dataDir, 'SELECT id FROM sessions').map(({ id }) => id);
  for (const id of sessions) paths.push(`/control/sessions/${id}`, `/control/sessions/${id}/messages`, `/control/sessions/${id}/export`);
  const answers = await Promise.all([...paths, '/control/sessions'].map((path) => get(path)));
  answers.push(await get('/control/connections/probe/test', 'POST'), await get('/control/connections/remote/test', 'POST'));
  expect(answers.join('\n')).toContain(sessions[0]);
  return answers.join('\n');
}

describe.skipIf(keyringMissing())('secrets from the OS keychain (a real Secret Service)', () => {
  let keyring: KeyringSession;
  let httpServer: ChildProcess;
  let gateway: GatewayProcess;
  const logs = mkdtempSync(join(tmpdir(), 'airlock-secrets-probe-'));
  const stdioLog = join(logs, 'stdio.jsonl');
  const httpLog = join(logs, 'http.jsonl');
  /** What the agents received from both servers. */
  let responses: Record<'secretDigest' | 'authDigest' | 'echo' | 'tools', string>;

  beforeAll(async () => {
    keyring = await startKeyringSession();
    storeSecret('probe-token', PROBE_VALUE, keyring.env);
    storeSecret('remote-token', REMOTE_VALUE, keyring.env);
    httpServer = spawn(process.execPath, [...TSX_IMPORT, join(REPO, 'test/fixtures/probe-server.ts'), '--http'], {
      cwd: REPO,
      env: { ...process.env, PROBE_LOG: httpLog },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const first = await createInterface({ input: httpServer.stdout! })[Symbol.asyncIterator]().next();
    const { url } = JSON.parse(String(first.value)) as { url: string };
    gateway = await startGatewayProcess(
      {
        servers: {
          probe: { ...fixtureCommand('probe-server.ts'), env: { PROBE_SECRET: 'keychain:probe-token', PROBE_LOG: stdioLog } },
          remote: { url, headers: { Authorization: 'Bearer keychain:remote-token' } },
          unset: { ...fixtureCommand('probe-server.ts'), env: { PROBE_SECRET: 'keychain:never-stored' } },
        },
      },
      keyring.env,
    );
    const [probe, remote] = [await gateway.connect('probe'), await gateway.connect('remote')];
    responses = {
      secretDigest: textOf(await probe.callTool({ name: 'secret_digest', arguments: {} })),
      authDigest: textOf(await remote.callTool({ name: 'auth_digest', arguments: {} })),
      echo: textOf(await remote.callTool({ name: 'echo', arguments: { text: 'over http' } })),
      tools: JSON.stringify([await probe.listTools(), await remote.listTools()]),
    };
  });
  afterAll(async () => {
    await gateway?.stop();
    httpServer?.kill();
    await keyring?.stop();
    rmSync(logs, { recursive: true, force: true });
  });

  it('hands a stdio server its secret as an environment variable, and an HTTP server its secret in a header', () => {
    expect(JSON.parse(responses.secretDigest)).toEqual({ digest: sha256(PROBE_VALUE) });
    expect(readProbeLog(stdioLog).find((entry) => entry.tool === 'secret_digest')?.secret).toBe(PROBE_VALUE);
    expect(responses.echo).toBe('over http');
    expect(readProbeLog(httpLog).find((entry) => entry.tool === 'auth_digest')?.authorization).toBe(`Bearer ${REMOTE_VALUE}`);
  });

  it('keeps the secrets out of agent responses, the store files, the gateway output and the control API', async () => {
    expect(queryStore(gateway.dataDir, "SELECT id FROM messages WHERE tool IN ('secret_digest', 'auth_digest')").length).toBeGreaterThan(0);
    const files = dataDirBytes(gateway.dataDir);
    expect(files.names).toEqual(expect.arrayContaining(['airlock.db', 'airlock.db-wal', 'airlock.db-shm']));
    const everywhere = [Object.values(responses).join('\n'), files.text, gateway.output(), await controlAnswers(gateway)].join('\n');
    for (const value of [PROBE_VALUE, REMOTE_VALUE]) expect(everywhere).not.toContain(value);
  });

  it('tells the agent which secret is missing and how to store it', async () => {
    await expect(gateway.connect('unset')).rejects.toThrow(/secret "never-stored" is not set \(store it with `airlock secret set never-stored` or set AIRLOCK_SECRET_NEVER_STORED\)/);
  });
});

describe('secrets without an OS keychain', () => {
  const probe = { ...fixtureCommand('probe-server.ts'), env: { PROBE_SECRET: 'keychain:probe-token' } };

  it.runIf(process.platform === 'linux')('starts the gateway, and tells the agent why its secret cannot be read and what to do', async () => {
    const gateway = await startGatewayProcess({ servers: { probe } }, { AIRLOCK_SECRET_STORE: 'keychain', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/airlock-test-bus' });
    try {
      await expect(gateway.connect('probe')).rejects.toThrow(
        /secret "probe-token" cannot be read: could not read from the Secret Service keychain: no OS keychain is available \(Secret Service not running\?\)\..*Alternatively, set AIRLOCK_SECRET_PROBE_TOKEN/,
      );
    } finally {
      await gateway.stop();
    }
  });

  it('refuses to start with the file store and no passphrase, and uses the file with one, warning that it does', async () => {
    await expect(startGatewayProcess({ servers: { probe } }, { AIRLOCK_SECRET_STORE: 'file' })).rejects.toThrow(/AIRLOCK_SECRET_STORE=file needs AIRLOCK_SECRET_FILE_KEY/);

    const fileEnv = { AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: 'a passphrase for the gateway test' };
    const gateway = await startGatewayProcess({ servers: { probe } }, fileEnv);
    try {
      // Stored while the gateway runs: it reads the file at each use, so the next session has it.
      execFileSync(process.execPath, [AIRLOCK_BIN, 'secret', 'set', 'probe-token', '--data-dir', gateway.dataDir], {
        cwd: REPO,
        input: PROBE_VALUE,
        env: { ...process.env, ...fileEnv },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const client = await gateway.connect('probe');
      expect(JSON.parse(textOf(await client.callTool({ name: 'secret_digest', arguments: {} })))).toEqual({ digest: sha256(PROBE_VALUE) });
      expect(gateway.output().match(/NOT in the OS keychain/g)).toHaveLength(1);
      expect(gateway.output()).not.toContain(PROBE_VALUE);
      const files = dataDirBytes(gateway.dataDir);
      expect(files.names).toContain('secrets.enc.json');
      expect(files.text).not.toContain(PROBE_VALUE);
    } finally {
      await gateway.stop();
    }
  });
});
