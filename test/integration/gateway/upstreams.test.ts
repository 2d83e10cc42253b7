import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AIRLOCK_BIN, fixtureCommand, REPO, startGatewayProcess, TSX_IMPORT, type GatewayProcess } from '../../helpers/gateway-process.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;
const SECRET = 'sk-live-4f3c2b1a-never-log-me';

/** Every file under the data dir, as text: the secret must be in none of them. */
function dataDirText(dir: string): string {
  return readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString('latin1')).join('\n');
}

describe('stdio servers', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess(
      {
        servers: {
          probe: { ...fixtureCommand('probe-server.ts'), env: { PROBE_SECRET: 'keychain:probe-secret' } },
          unset: { ...fixtureCommand('probe-server.ts'), env: { PROBE_SECRET: 'keychain:never-set' } },
          missing: { command: 'airlock-no-such-command-anywhere' },
        },
      },
      { AIRLOCK_SECRET_PROBE_SECRET: SECRET },
    );
  });
  afterAll(async () => gateway?.stop());

  it('hands a referenced secret to the server, and keeps it out of the store and the log', async () => {
    const client = await gateway.connect('probe');
    expect(JSON.parse(textOf(await client.callTool({ name: 'secret_digest', arguments: {} })))).toEqual({ digest: sha256(SECRET) });
    expect(dataDirText(gateway.dataDir)).not.toContain(SECRET);
    expect(gateway.output()).not.toContain(SECRET);
  });

  it('answers in-flight calls with an error when the server crashes, and starts a fresh server for the next session', async () => {
    const client = await gateway.connect('probe');
    const before = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} })));
    await expect(client.callTool({ name: 'crash', arguments: {} })).rejects.toThrow(/exited/);
    const db = new Database(join(gateway.dataDir, 'airlock.db'), { readonly: true });
    const ended = db.prepare("SELECT end_reason FROM sessions WHERE end_reason = 'server exited'").all();
    const failed = db.prepare("SELECT tool FROM messages WHERE outcome = 'failed' AND tool = 'crash'").all();
    db.close();
    expect(ended.length).toBeGreaterThan(0);
    expect(failed).toEqual([{ tool: 'crash' }]);
    const again = await gateway.connect('probe');
    const after = JSON.parse(textOf(await again.callTool({ name: 'whoami', arguments: {} })));
    expect(after.pid).not.toBe(before.pid);
  });

  it('refuses to start a server whose secret is not set, naming the variable to set', async () => {
    await expect(gateway.connect('unset')).rejects.toThrow(/AIRLOCK_SECRET_NEVER_SET/);
  });

  it('reports a server command that cannot be started', async () => {
    await expect(gateway.connect('missing')).rejects.toThrow(/could not be reached|ENOENT/);
  });
});

describe('Streamable HTTP servers', () => {
  let server: ChildProcess;
  let gateway: GatewayProcess;
  beforeAll(async () => {
    server = spawn(process.execPath, [...TSX_IMPORT, join(REPO, 'test/fixtures/probe-server.ts'), '--http'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = await createInterface({ input: server.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
    const { url } = JSON.parse(line) as { url: string };
    gateway = await startGatewayProcess(
      { servers: { remote: { url, headers: { Authorization: 'Bearer keychain:remote-token' } } } },
      { AIRLOCK_SECRET_REMOTE_TOKEN: SECRET },
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    server?.kill();
  });

  it('relays calls and adds the configured header with its secret resolved', async () => {
    const client = await gateway.connect('remote');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'over http' } }))).toBe('over http');
    expect(JSON.parse(textOf(await client.callTool({ name: 'auth_digest', arguments: {} })))).toEqual({ digest: sha256(`Bearer ${SECRET}`) });
    expect(dataDirText(gateway.dataDir)).not.toContain(SECRET);
    expect(gateway.output()).not.toContain(SECRET);
  });

  it('gives each agent session its own upstream session', async () => {
    const [a, b] = await Promise.all([gateway.connect('remote'), gateway.connect('remote')]);
    await a.callTool({ name: 'echo', arguments: {} });
    const calls = (c: Client) => c.callTool({ name: 'whoami', arguments: {} }).then((r) => JSON.parse(textOf(r)).calls);
    expect(await calls(a)).toBe(2);
    expect(await calls(b)).toBe(1);
  });
});

describe('the stdio front (airlock connect)', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') } });
  });
  afterAll(async () => gateway?.stop());

  it('bridges a command-launching client to the running gateway, recorded under the token\'s client', async () => {
    const client = new Client({ name: 'stdio-agent', version: '1.0.0' });
    await client.connect(new StdioClientTransport({
      command: process.execPath,
      args: [AIRLOCK_BIN, 'connect', 'probe', '--data-dir', gateway.dataDir],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AIRLOCK_TOKEN: gateway.token },
      cwd: REPO,
      stderr: 'pipe',
    }));
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('echo');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'via stdio' } }))).toBe('via stdio');
    await client.close();
    const db = new Database(join(gateway.dataDir, 'airlock.db'), { readonly: true });
    const sessions = db.prepare("SELECT client FROM sessions WHERE client_info LIKE '%stdio-agent%'").all();
    db.close();
    expect(sessions).toEqual([{ client: 'test' }]);
  });

  it('answers with a clear error when no gateway is running', async () => {
    const client = new Client({ name: 'stdio-agent', version: '1.0.0' });
    const connecting = client.connect(new StdioClientTransport({
      command: process.execPath,
      args: [AIRLOCK_BIN, 'connect', 'probe', '--url', 'http://127.0.0.1:9', '--token', 'alk_x'],
      cwd: REPO,
      stderr: 'pipe',
    }));
    await expect(connecting).rejects.toThrow(/unreachable/);
    await client.close();
  });
});
