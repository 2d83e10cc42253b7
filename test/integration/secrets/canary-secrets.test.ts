import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTestView } from '../../../src-gateway/control/contract.js';
import { AuditOutbox } from '../../../src-gateway/store/audit-outbox.js';
import { encodeAuditLogs } from '../../../src-gateway/sync/otlp-logs.js';
import { CANARY_RESPONSES } from '../../fixtures/canary-values.js';
import { AIRLOCK_BIN, fixtureCommand, queryStore, REPO, runCli, startGatewayProcess, TSX_IMPORT, type GatewayProcess } from '../../helpers/gateway-process.js';
import { keyringMissing, startKeyringSession, type KeyringSession } from '../../helpers/keyring-session.js';

/** In the OS keychain (a private Secret Service), or the env store where none can run. */
const KEYCHAIN_CANARIES = {
  'canary-github': 'ghp_C4n4ryK3ych41nT0k3nAbCdEfGhIjKlMnOpQr',
  'canary-aws': 'AKIAC4N4RYKEYCHA1N7Q',
  // No detector knows this shape: only Airlock's knowledge of what it injected can catch it.
  'canary-plain': 'c4n4ry-pl41n-8f3a1d2e9b7c5a',
};
/** Written into the config file as plain values, as people do; detectors know their shape. */
const CONFIG_CANARIES = { CANARY_SHAPED_GITLAB: 'glpat-C4n4ryC0nf1gL1t3r4lXyZ12', CANARY_SHAPED_SLACK: 'xoxp-2024-c4n4ry-c0nf1g-5a4b3c2d' };
/**
 * Plain config values no detector knows, under credential names: only the credential-name rule
 * catches them. An env value of a stdio server; an Authorization (the bearer credential is counted,
 * so it is caught alone as well as whole) and an API-key header of an HTTP server.
 */
const PLAIN_ENV_CANARIES = { CANARY_CONFIG_SERVICE_TOKEN: 'c4n4ry-c0nf1g-pl41n-7e6d5c4b3a' };
const PLAIN_HEADER_BEARER = 'c4n4ry-h34d3r-b34r3r-6f5e4d3c2b';
const PLAIN_HEADER_CANARIES = { Authorization: `Bearer ${PLAIN_HEADER_BEARER}`, 'X-Canary-Api-Key': 'c4n4ry-h34d3r-k3y-2b1a0f9e8d' };
/** Written into a URL under an ordinary name, and as a credential-named argument of the server. */
const URL_PASSWORD = 'c4n4ry-url-p4ss-9d8c7b6a5f';
const URL_ENV = { CANARY_DATABASE_URL: `postgres://app:${URL_PASSWORD}@db.internal/app` };
const ARG_CANARY = 'c4n4ry-4rg-t0k3n-3c2b1a0f9e';
/** A plain value under an ordinary name: echoed as it is, not cut. */
const ORDINARY_VALUE = { CANARY_CONFIG_REGION: 'eu-c4n4ry-region-1' };
/** Cut by what Airlock knows it injected, whatever their shape: what a connection test must not show either. */
const INJECTED_CANARIES = [...Object.values(KEYCHAIN_CANARIES), ...Object.values(PLAIN_ENV_CANARIES), PLAIN_HEADER_BEARER, PLAIN_HEADER_CANARIES['X-Canary-Api-Key'], URL_PASSWORD, ARG_CANARY];
/** What the agent itself sends in arguments. */
const AGENT_CANARY = 'sk_live_51C4n4ryAg3ntArgum3ntAbCdEfGhIjKlMnOpQr';
const CANARIES = [...INJECTED_CANARIES, ...Object.values(CONFIG_CANARIES), ...CANARY_RESPONSES, AGENT_CANARY];
const useKeychain = !keyringMissing();

const countIn = (text: string, canaries = CANARIES) => Object.fromEntries(canaries.map((canary) => [canary, text.split(canary).length - 1]));
const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** The OTLP payloads the audit shipper would send for everything in the outbox, built by its own encoder from a copy of the store. */
function syncPayloads(dataDir: string): { batches: number; records: number; text: string } {
  const copy = mkdtempSync(join(tmpdir(), 'airlock-canary-outbox-'));
  try {
    for (const name of readdirSync(dataDir).filter((n) => n.startsWith('airlock.db'))) copyFileSync(join(dataDir, name), join(copy, name));
    const db = new Database(join(copy, 'airlock.db'));
    const outbox = new AuditOutbox(db);
    const payloads: string[] = [];
    let records = 0;
    for (let batch = outbox.claim(`batch-${payloads.length}`, 500); batch; batch = outbox.claim(`batch-${payloads.length}`, 500)) {
      records += batch.records.length;
      payloads.push(JSON.stringify(encodeAuditLogs(batch.records, { installationId: outbox.installationId(), version: 'test' })));
      outbox.acknowledge(batch.id, Date.now());
    }
    db.close();
    return { batches: payloads.length, records, text: payloads.join('\n') };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** Starts the canary server in HTTP mode; it injects nothing itself, it echoes the headers it is sent. */
async function startHttpCanary(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...TSX_IMPORT, join(REPO, 'test/fixtures/canary-server.ts'), '--http'], { cwd: REPO, stdio: ['ignore', 'pipe', 'ignore'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  return { url: (JSON.parse(first.value as string) as { url: string }).url, child };
}

/** Everything an agent gets from a canary server through every channel, as one text. */
async function leakThrough(gateway: GatewayProcess, server: string, prefix = '', extraTools: string[] = []): Promise<string> {
  let seen = '';
  const client = new Client({ name: 'canary-agent', version: '1.0.0' });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void (seen += JSON.stringify(n)));
  await client.connect(new StreamableHTTPClientTransport(gateway.agentUrl(server), { requestInit: { headers: { Authorization: `Bearer ${gateway.token}` } } }));
  const answers: unknown[] = [client.getServerVersion(), client.getInstructions(), await client.listTools(), await client.listResources(), await client.listPrompts()];
  for (const name of ['leak_text', 'leak_structured', 'leak_error_result']) answers.push(await client.callTool({ name: prefix + name, arguments: { note: `use ${AGENT_CANARY}` } }));
  for (const name of ['leak_rpc_error', ...extraTools]) answers.push(await client.callTool({ name: prefix + name, arguments: {} }).catch((error: Error) => error.message));
  answers.push(await client.callTool({ name: prefix + 'leak_notifications', arguments: {} }, undefined, { onprogress: (p) => void (seen += JSON.stringify(p)) }));
  answers.push(await client.readResource({ uri: 'canary://config' }), await client.getPrompt({ name: 'setup' }));
  await client.close();
  return seen + JSON.stringify(answers);
}

describe('canary secrets', () => {
  let keyring: KeyringSession | undefined;
  let gateway: GatewayProcess;
  let httpCanary: { url: string; child: ChildProcess } | undefined;
  let seenByAgent = '';
  let seenByHttpAgent = '';
  let connectionTests: Array<{ ok: boolean; data: ConnectionTestView }> = [];

  beforeAll(async () => {
    let env: Record<string, string> = {};
    if (useKeychain) {
      keyring = await startKeyringSession();
      env = keyring.env;
      for (const [name, value] of Object.entries(KEYCHAIN_CANARIES)) {
        execFileSync(process.execPath, [AIRLOCK_BIN, 'secret', 'set', name], { cwd: REPO, input: value, env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
      }
    } else {
      for (const [name, value] of Object.entries(KEYCHAIN_CANARIES)) env[`AIRLOCK_SECRET_${name.toUpperCase().replace(/-/g, '_')}`] = value;
    }
    const canaryEnv = {
      CANARY_KEYCHAIN_GITHUB: 'keychain:canary-github',
      CANARY_KEYCHAIN_AWS: 'keychain:canary-aws',
      CANARY_KEYCHAIN_PLAIN: 'session=keychain:canary-plain',
      ...CONFIG_CANARIES,
      ...PLAIN_ENV_CANARIES,
      ...URL_ENV,
      ...ORDINARY_VALUE,
    };
    httpCanary = await startHttpCanary();
    gateway = await startGatewayProcess(
      {
        servers: { canary: { ...fixtureCommand('canary-server.ts', '--api-token', ARG_CANARY), env: canaryEnv }, 'canary-http': { url: httpCanary.url, headers: PLAIN_HEADER_CANARIES } },
        // Org mode, never signed in: every record also lands in the audit outbox, the sync payload's source.
        org: { issuer: 'https://127.0.0.1:9/issuer', hub: 'https://127.0.0.1:9/hub' },
      },
      env,
    );

    seenByAgent = await leakThrough(gateway, 'canary');
    seenByHttpAgent = await leakThrough(gateway, 'canary-http', 'http_', ['leak_http_error']);
    // The window's "test connection": the same servers, probed through the control API.
    const controlToken = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
    for (const name of ['canary', 'canary-http']) {
      const tested = await fetch(new URL(`/control/connections/${name}/test`, gateway.url), { method: 'POST', headers: { authorization: `Bearer ${controlToken}` } });
      connectionTests.push(await tested.json());
    }
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await keyring?.stop();
    httpCanary?.child.kill();
  });

  it('reach no file of the data dir, no log line, no export and no sync payload unmasked', async () => {
    const sessions = queryStore<{ id: string }>(gateway.dataDir, 'SELECT id FROM sessions').map(({ id }) => id);
    expect(sessions.length).toBeGreaterThan(0);
    const exports: string[] = [];
    for (const id of sessions) {
      const out = join(gateway.dataDir, `export-${id}.jsonl`);
      expect((await runCli(['sessions', 'export', id, '--output', out, '--data-dir', gateway.dataDir])).code).toBe(0);
      exports.push(readFileSync(out, 'utf8'), (await runCli(['sessions', 'show', id, '--json', '--data-dir', gateway.dataDir])).stdout);
      const controlToken = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
      exports.push(await (await fetch(new URL(`/control/sessions/${id}/export`, gateway.url), { headers: { authorization: `Bearer ${controlToken}` } })).text());
    }
    const messages = queryStore<{ n: number }>(gateway.dataDir, 'SELECT count(*) AS n FROM messages')[0].n;
    const payloads = syncPayloads(gateway.dataDir);
    const dataDir = readdirSync(gateway.dataDir).filter((name) => existsSync(join(gateway.dataDir, name))).map((name) => readFileSync(join(gateway.dataDir, name)).toString('latin1')).join('\n');
    const sinks = {
      'data dir (db, wal, shm, tokens, exports)': countIn(dataDir),
      'gateway log': countIn(gateway.output()),
      'session exports (CLI, control API)': countIn(exports.join('\n')),
      'sync payloads (OTLP)': countIn(payloads.text),
      'answers to the agent': countIn(seenByAgent + seenByHttpAgent),
    };
    console.log(`secrets (${useKeychain ? 'OS keychain via Secret Service' : 'env secret store'}): ${CANARIES.length} canaries, ${messages} recorded messages, ${payloads.records} outbox records in ${payloads.batches} OTLP batches; unmasked occurrences per sink: ${JSON.stringify(Object.fromEntries(Object.entries(sinks).map(([sink, counts]) => [sink, total(counts)])))}`);
    expect(messages).toBeGreaterThan(10);
    expect(payloads.records).toBe(messages);
    for (const [sink, counts] of Object.entries(sinks)) expect({ sink, counts }).toEqual({ sink, counts: countIn('') });
  });

  it('proves the canaries did flow: the server received the injected ones and the masks name what they hid', () => {
    expect(gateway.output()).toMatch(/canary-server starting with .*token=session=\[SECRET\]/);
    expect(gateway.output()).toMatch(/canary-server starting with .*token=\[GITLAB_TOKEN\]/);
    const masked = queryStore<{ n: number }>(gateway.dataDir, "SELECT count(*) AS n FROM messages WHERE decision = 'masked'")[0].n;
    expect(masked).toBeGreaterThan(0);
    expect(seenByAgent).toMatch(/GITHUB_TOKEN|AWS/);
    expect(seenByAgent).toContain('session=[SECRET]');
    // The plain credentials flowed too, and were cut, not the ordinary value beside them.
    expect(seenByAgent).toContain(ORDINARY_VALUE.CANARY_CONFIG_REGION);
    expect(seenByHttpAgent).toContain(`leaks [SECRET], [SECRET], [SECRET] through leak_text`);
    // The server's HTTP 401 body, quoted in the error the agent gets.
    expect(seenByHttpAgent).toContain('Error POSTing to endpoint: rejected credentials [SECRET] api_key=[SECRET]');
  });

  it('are cut from what a connection test reports: server info and tool descriptions', () => {
    const reported = JSON.stringify(connectionTests);
    const injected = countIn(reported, INJECTED_CANARIES);
    console.log(`connection tests: ${connectionTests.length} answers, ${connectionTests.flatMap(({ data }) => data.tools).length} tools; injected canaries (keychain and credential-named plain) unmasked: ${total(injected)}`);
    expect(connectionTests.map(({ ok, data }) => ({ ok, tested: data.ok, tools: data.tools.length }))).toEqual([
      { ok: true, tested: true, tools: 5 },
      { ok: true, tested: true, tools: 6 },
    ]);
    expect(connectionTests[1].data.tools[0].description).toBe('leaks [SECRET], [SECRET], [SECRET] through leak_text');
    expect(injected).toEqual(countIn('', INJECTED_CANARIES));
  });
});
