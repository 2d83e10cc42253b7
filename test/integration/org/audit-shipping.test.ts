import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgLoginView, OrgStatusView } from '../../../src-gateway/control/contract.js';
import { orgFetch, type OrgFetch } from '../../../src-gateway/sync/org-fetch.js';
import { chromiumMissing, launchChromium } from '../../e2e/browser.js';
import { control } from '../../helpers/control-client.js';
import { AIRLOCK_BIN, fixtureCommand, queryStore, REPO, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';
import { startHubProcess, type HubProcess } from '../../helpers/hub-process.js';
import { startOidcIssuer, type OidcIssuer } from '../../helpers/oidc-issuer.js';
import { completeDeviceLogin } from '../../helpers/oidc-login.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';

const skip = chromiumMissing();
const EMAIL = 'ada.lovelace@example.com';
const CARD = '4111 1111 1111 1111';
/** The sign-in must survive a restart: the encrypted file store, not the read-only env one. */
const SECRET_ENV = { AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: 'audit-shipping-test-passphrase' };

let ca: TestCa;
let issuer: OidcIssuer;
let browser: Browser;
let hub: HubProcess;
let fetchOrg: OrgFetch;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  if (skip) return;
  ca = createTestCa();
  fetchOrg = orgFetch(ca.caPath);
  issuer = await startOidcIssuer(ca);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await hub?.remove();
  await browser?.close();
  await issuer?.stop();
  ca?.remove();
});

const orgConfig = (hubUrl: string) => ({ issuer: issuer.issuer, hub: hubUrl, audience: issuer.audience, caFile: ca.caPath });

async function signIn(gateway: { url: string; dataDir: string }, user: string): Promise<void> {
  const login = (await control<OrgLoginView>(gateway as GatewayProcess, 'POST', '/control/org/login', { flow: 'device' })).data as Extract<OrgLoginView, { flow: 'device' }>;
  await completeDeviceLogin(browser, login.verificationUriComplete!, user);
  await waitFor(async () => (await control<OrgStatusView>(gateway as GatewayProcess, 'GET', '/control/org')).data.identity !== null, 'the sign-in', 30_000);
}

async function callEcho(gateway: GatewayProcess, times: number): Promise<void> {
  const client = await gateway.connect('probe');
  for (let n = 0; n < times; n++) await client.callTool({ name: 'echo', arguments: { text: `hello ${n}` } });
  await client.close();
}

const unshipped = (dataDir: string) => queryStore<{ n: number }>(dataDir, 'SELECT COUNT(*) AS n FROM outbox')[0].n;

/** The record ids the gateway's store says it recorded, as the hub should hold them. */
function expectedRecordIds(dataDir: string): string[] {
  const [{ value }] = queryStore<{ value: string }>(dataDir, "SELECT value FROM outbox_state WHERE key = 'installation_id'");
  return queryStore<{ id: number }>(dataDir, 'SELECT id FROM messages ORDER BY id').map(({ id }) => `${value}:${id}`).sort();
}

function hubQuery<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(hub.dataDir, 'airlock-hub.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Every record id the hub holds from this installation, once per row (the column is unique, so: the rows themselves). */
function hubRecordIds(dataDir: string): string[] {
  const [{ value }] = queryStore<{ value: string }>(dataDir, "SELECT value FROM outbox_state WHERE key = 'installation_id'");
  return hubQuery<{ record_id: string }>('SELECT record_id FROM records WHERE record_id LIKE ? ORDER BY record_id', `${value}:%`).map((r) => r.record_id);
}

/** Starts `airlock gateway` again on a data dir a killed gateway left behind. */
async function restartGateway(gateway: GatewayProcess): Promise<{ url: string; dataDir: string; child: ChildProcess; output(): string }> {
  const child = spawn(process.execPath, [AIRLOCK_BIN, 'gateway', '--config', gateway.configPath, '--data-dir', gateway.dataDir], {
    cwd: REPO,
    env: { ...process.env, AIRLOCK_LOG_LEVEL: 'debug', ...SECRET_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
  const runtime = join(gateway.dataDir, 'runtime.json');
  const url = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`the gateway exited:\n${output}`);
    try {
      const info = JSON.parse(readFileSync(runtime, 'utf8')) as { url: string; pid: number };
      return info.pid === child.pid && info.url;
    } catch {
      return false;
    }
  }, 'the restarted gateway', 20_000);
  return { url, dataDir: gateway.dataDir, child, output: () => output };
}

describe.skipIf(skip)('audit shipping to the hub', () => {
  it('queues records while the hub is down and ships every one exactly once when it is back', async () => {
    // A hub that has run once: its port is known, and nothing listens there now.
    const parked = await startHubProcess({ ca, issuer: issuer.issuer, audience: issuer.audience });
    await parked.stop();
    const gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, org: orgConfig(`https://127.0.0.1:${parked.port}`) }, SECRET_ENV);
    cleanups.push(() => gateway.stop());
    await signIn(gateway, 'ada');
    await callEcho(gateway, 5);
    const client = await gateway.connect('probe');
    await client.callTool({ name: 'echo', arguments: { text: `write to ${EMAIL}, card ${CARD}` } });
    await client.close();
    await waitFor(() => gateway.output().includes('audit shipping to the hub failed'), 'a failed shipping attempt', 30_000);
    expect(unshipped(gateway.dataDir)).toBeGreaterThan(0);
    const down = (await control<OrgStatusView>(gateway, 'GET', '/control/org')).data.audit;
    expect(down).toMatchObject({ unshipped: expect.any(Number), lastError: expect.any(String) });

    hub = await parked.restart();
    await control(gateway, 'POST', '/control/org/sync');
    await waitFor(() => unshipped(gateway.dataDir) === 0, 'the outbox to drain', 90_000);
    expect(hubRecordIds(gateway.dataDir)).toEqual(expectedRecordIds(gateway.dataDir));
    // The hub holds every message's chain link, as recorded: an anchor for the local hash chain.
    const hubChain = new Map(hubQuery<{ record_id: string; attributes: string }>('SELECT record_id, attributes FROM records').map((r) => [r.record_id.split(':').pop(), (JSON.parse(r.attributes) as Record<string, unknown>)['airlock.chain.hash']]));
    const localChain = queryStore<{ id: number; chain_hash: string }>(gateway.dataDir, 'SELECT id, chain_hash FROM messages ORDER BY id');
    expect(localChain.length).toBeGreaterThan(0);
    for (const { id, chain_hash } of localChain) expect(hubChain.get(String(id))).toBe(chain_hash);
    // What left the machine is the record as stored: masked in the request and in the answer.
    const bodies = hubQuery<{ body: string; attributes: string }>('SELECT body, attributes FROM records').map((r) => r.body + r.attributes).join('\n');
    expect(bodies).toMatch(/<email_\d+>/);
    expect(bodies).not.toContain(EMAIL);
    expect(bodies).not.toContain(CARD);
    const rows = hubQuery<{ user_id: string; server: string }>('SELECT DISTINCT user_id, server FROM records WHERE server = ?', 'probe');
    expect(rows).toContainEqual({ user_id: 'ada', server: 'probe' });
    const up = (await control<OrgStatusView>(gateway, 'GET', '/control/org')).data.audit;
    expect(up).toMatchObject({ unshipped: 0, lastShippedAt: expect.any(Number), dropped: 0 });
    expect(up?.lastError).toBeUndefined();
  });

  it('loses and duplicates nothing when the gateway is killed with SIGKILL while a batch is in flight', async () => {
    hub ??= await startHubProcess({ ca, issuer: issuer.issuer, audience: issuer.audience });
    // A relay that hands the batch to the hub but never answers the gateway: the hub holds the
    // batch, the gateway does not know it, and it is killed right then.
    const relayed: string[] = [];
    const relay: Server = createServer({ cert: ca.cert, key: ca.key }, (req, res) => {
      if (req.method !== 'POST' || req.url !== '/v1/logs') return void res.writeHead(503).end();
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const headers = Object.fromEntries(['authorization', 'content-type', 'content-encoding', 'idempotency-key'].map((h) => [h, String(req.headers[h])]));
        void fetchOrg(new URL('/v1/logs', hub.url), { method: 'POST', headers, body: new Uint8Array(Buffer.concat(chunks)) }).then((answer) => {
          if (answer.ok) relayed.push(headers['idempotency-key']);
        });
      });
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      relay.close();
      relay.closeAllConnections();
    });
    const gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, org: orgConfig(`https://127.0.0.1:${(relay.address() as AddressInfo).port}`) }, SECRET_ENV);
    cleanups.push(() => rmSync(dirname(gateway.dataDir), { recursive: true, force: true }));
    await signIn(gateway, 'grace');
    await callEcho(gateway, 4);
    await waitFor(() => relayed.length > 0, 'a batch the hub holds but the gateway was not told about', 30_000);
    const [key] = relayed;
    const exited = new Promise((r) => gateway.child.once('exit', r));
    gateway.child.kill('SIGKILL');
    await exited;
    expect(unshipped(gateway.dataDir)).toBeGreaterThan(0);

    const config = JSON.parse(readFileSync(gateway.configPath, 'utf8')) as { org: { hub: string } };
    config.org.hub = hub.url;
    writeFileSync(gateway.configPath, JSON.stringify(config));
    const restarted = await restartGateway(gateway);
    await waitFor(() => unshipped(gateway.dataDir) === 0, 'the outbox to drain after the restart', 90_000);

    // The interrupted batch went again under its first key, and the hub recognised it.
    expect(hub.output()).toContain(`batch ${key} from grace:`);
    expect(hub.output()).toMatch(new RegExp(`batch ${key} from grace: \\d+ records, already held`));
    expect(hubQuery('SELECT idempotency_key FROM batches WHERE idempotency_key = ?', key)).toHaveLength(1);
    expect(hubRecordIds(gateway.dataDir)).toEqual(expectedRecordIds(gateway.dataDir));
    expect(restarted.output()).toContain('audit: shipped');
  });
});
