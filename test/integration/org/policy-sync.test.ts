import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { servePolicyBundle } from '../../../src-gateway/hub/policy-route.js';
import type { Logger } from '../../../src-gateway/logger.js';
import type { CallDescription } from '../../../src-gateway/policy/compile-policy.js';
import { PolicyStore } from '../../../src-gateway/policy/policy-store.js';
import { orgFetch } from '../../../src-gateway/sync/org-fetch.js';
import { ORG_POLICY_FILE, PolicySync } from '../../../src-gateway/sync/policy-sync.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';

const TOKEN = 'test-access-token';
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const sqlCall: CallDescription = { server: 'db', method: 'tools/call', tool: 'run_sql', arguments: { query: 'select 1' }, client: 'local', groups: [] };

const bundle = (version: string, extra: Record<string, unknown> = {}) => ({
  version,
  policy: { rules: [{ id: 'org-no-sql', match: { server: 'db', tool: 'run_sql' }, action: 'deny', reason: 'No SQL from laptops' }] },
  ...extra,
});

let ca: TestCa;
let server: Server;
let hub: string;
let policyDir: string;
/** The request headers the hub saw, in order. */
let seen: IncomingHttpHeaders[];
/** When set, the hub answers this with 200 instead of serving the policy dir, as a broken hub might. */
let rawAnswer: string | undefined;
/** When set, the hub drops every connection, as an unreachable one would. */
let hubDown: boolean;

beforeAll(async () => {
  ca = createTestCa();
  policyDir = mkdtempSync(join(tmpdir(), 'airlock-hub-policy-'));
  const route = servePolicyBundle(policyDir, 300);
  server = createServer({ cert: ca.cert, key: ca.key }, (req, res) => {
    if (hubDown) return void req.socket.destroy();
    seen.push(req.headers);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end();
    if (rawAnswer !== undefined) return void res.writeHead(200, { 'content-type': 'application/json', etag: '"raw"' }).end(rawAnswer);
    if (req.url === '/policy/bundle') return route(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(policyDir, { recursive: true, force: true });
  ca?.remove();
});

let dataDir: string;
const running: Array<{ store: PolicyStore; sync: PolicySync }> = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'airlock-policy-sync-'));
  seen = [];
  rawAnswer = undefined;
  hubDown = false;
  writeFileSync(join(policyDir, 'bundle.json'), JSON.stringify(bundle('v1')));
});
afterEach(() => {
  for (const { store, sync } of running.splice(0)) {
    sync.stop();
    store.close();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** An https URL where nothing listens: a port that was just free. */
async function closedPort(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `https://127.0.0.1:${port}`;
}

/** A policy store (embedded default policy) kept in step with the hub, as org mode runs them. */
function startSync(options: { hub?: string; token?: string; airlockVersion?: string } = {}) {
  const store = new PolicyStore({ dataDir, logger: quiet });
  const sync = new PolicySync({
    hub: options.hub ?? hub,
    fetch: orgFetch(ca.caPath),
    accessToken: async () => ('token' in options ? options.token : TOKEN),
    dataDir,
    floorSeconds: 60,
    airlockVersion: options.airlockVersion ?? '1.0.0',
    apply: (org) => store.setOrg(org),
    logger: quiet,
  });
  running.push({ store, sync });
  return { store, sync };
}

describe('org policy sync', () => {
  it("puts the hub's bundle in force with the access token, and saves it", async () => {
    const { store, sync } = startSync();
    await sync.syncNow();
    expect(seen[0].authorization).toBe(`Bearer ${TOKEN}`);
    expect(store.current().evaluate(sqlCall)).toMatchObject({ action: 'deny', reason: 'No SQL from laptops' });
    expect(store.rules()[0]).toMatchObject({ source: 'org', rule: { id: 'org-no-sql' } });
    expect(sync.status()).toMatchObject({ version: 'v1', ruleCount: 1, mandatoryDetectors: [] });
    expect(sync.status().etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(sync.status().error).toBeUndefined();
    expect(existsSync(join(dataDir, ORG_POLICY_FILE))).toBe(true);
  });

  it('asks with If-None-Match and keeps the bundle on 304', async () => {
    const { store, sync } = startSync();
    await sync.syncNow();
    const { etag, fetchedAt } = sync.status();
    await sync.syncNow();
    expect(seen[1]['if-none-match']).toBe(etag);
    expect(sync.status()).toMatchObject({ version: 'v1', etag, fetchedAt });
    expect(store.current().evaluate(sqlCall).action).toBe('deny');
  });

  it('takes a changed bundle on the next poll', async () => {
    const { store, sync } = startSync();
    await sync.syncNow();
    writeFileSync(join(policyDir, 'bundle.json'), JSON.stringify({ version: 'v2', policy: { rules: [] } }));
    await sync.syncNow();
    expect(sync.status().version).toBe('v2');
    expect(store.current().evaluate(sqlCall).action).toBe('allow');
  });

  it('keeps the last good bundle when the hub serves an invalid one', async () => {
    const { store, sync } = startSync();
    await sync.syncNow();
    rawAnswer = JSON.stringify(bundle('v2', { policy: { rules: [{ id: 'x', action: 'maybe' }] } }));
    await sync.syncNow();
    expect(sync.status().error).toMatch(/policy\.rules\.0\.action.*\n?.*the last good bundle \(version v1\) stays in force/s);
    expect(sync.status().version).toBe('v1');
    expect(store.current().evaluate(sqlCall).action).toBe('deny');
  });

  it("keeps the last good bundle when the hub's own bundle file is broken", async () => {
    const { store, sync } = startSync();
    await sync.syncNow();
    writeFileSync(join(policyDir, 'bundle.json'), '{"version": "v2", "policy": {"rules": [{"id": "r", "action": "deny"');
    await sync.syncNow();
    expect(sync.status().error).toMatch(/the hub answered 500/);
    expect(store.current().evaluate(sqlCall).action).toBe('deny');
  });

  it('keeps the saved bundle in force after a restart while the hub is unreachable', async () => {
    const first = startSync();
    await first.sync.syncNow();
    first.sync.stop();

    hubDown = true;
    const { store, sync } = startSync();
    sync.start();
    expect(store.current().evaluate(sqlCall).action).toBe('deny');
    await sync.syncNow();
    expect(sync.status()).toMatchObject({ version: 'v1', error: expect.stringMatching(/cannot be reached: .*; the last good bundle \(version v1\) stays in force/) });
    expect(store.current().evaluate(sqlCall).action).toBe('deny');
  });

  it("does not use a saved bundle from another org's hub", async () => {
    const first = startSync();
    await first.sync.syncNow();
    first.sync.stop();

    const { store, sync } = startSync({ hub: await closedPort() });
    sync.start();
    await sync.syncNow();
    expect(sync.status()).toMatchObject({ version: null, error: expect.stringMatching(/cannot be reached: ECONNREFUSED; no org policy is in force yet/) });
    expect(store.current().evaluate(sqlCall).action).toBe('allow');
  });

  it('says to sign in, and asks the hub nothing, without an access token', async () => {
    const { sync } = startSync({ token: undefined });
    await sync.syncNow();
    expect(seen).toHaveLength(0);
    expect(sync.status().error).toBe('not signed in to the organisation (airlock login); no org policy is in force yet');
  });

  it('says to sign in again when the hub refuses the token', async () => {
    const { sync } = startSync({ token: 'expired' });
    await sync.syncNow();
    expect(sync.status().error).toMatch(/refused the access token \(401\): sign in again/);
  });

  it('refuses every call, naming both versions, when the org requires a newer Airlock', async () => {
    writeFileSync(join(policyDir, 'bundle.json'), JSON.stringify(bundle('v3', { minAirlockVersion: '2.1.0' })));
    const { store, sync } = startSync({ airlockVersion: '1.4.2' });
    await sync.syncNow();
    const verdict = store.current().evaluate({ ...sqlCall, server: 'other' });
    expect(verdict.action).toBe('deny');
    expect(verdict.reason).toMatch(/this Airlock is version 1\.4\.2, but your organisation requires version 2\.1\.0 or later: update Airlock/);
    expect(sync.status().requiresVersion).toBe('2.1.0');
  });

  it('serves a YAML bundle file as JSON', async () => {
    rmSync(join(policyDir, 'bundle.json'));
    writeFileSync(join(policyDir, 'bundle.yaml'), 'version: yaml-1\nmandatoryDetectors: [email]\npolicy:\n  rules: []\n');
    try {
      const { store, sync } = startSync();
      await sync.syncNow();
      expect(sync.status()).toMatchObject({ version: 'yaml-1', mandatoryDetectors: ['email'] });
      expect(store.masking().detectorsFor({ server: 'db', client: 'local', groups: [] })).toContain('email');
    } finally {
      rmSync(join(policyDir, 'bundle.yaml'));
    }
  });
});
