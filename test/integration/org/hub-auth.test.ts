import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHubAuth } from '../../../src-gateway/hub/hub-auth.js';
import { MAX_JSON_BYTES } from '../../../src-gateway/hub/log-intake.js';
import { orgFetch, type OrgFetch } from '../../../src-gateway/sync/org-fetch.js';
import { encodeAuditLogs } from '../../../src-gateway/sync/otlp-logs.js';
import type { OutboxRecord } from '../../../src-gateway/store/audit-outbox.js';
import { chromiumMissing, launchChromium } from '../../e2e/browser.js';
import { startHubProcess, type HubProcess } from '../../helpers/hub-process.js';
import { OIDC_CLIENT_ID, startOidcIssuer, type OidcIssuer } from '../../helpers/oidc-issuer.js';
import { completeDeviceLogin } from '../../helpers/oidc-login.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';

const skip = chromiumMissing();
let ca: TestCa;
let issuer: OidcIssuer;
let shortIssuer: OidcIssuer;
let browser: Browser;
let hub: HubProcess;
let fetchOrg: OrgFetch;
let token: string;

/** A real access token from `from` for `user`, through the device flow in Chromium. */
async function deviceToken(from: OidcIssuer, user: string): Promise<string> {
  const config = await oidc.discovery(new URL(from.issuer), OIDC_CLIENT_ID, undefined, oidc.None(), { [oidc.customFetch]: (url, init) => fetchOrg(url, init as RequestInit) });
  const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid offline_access', resource: from.audience });
  const login = completeDeviceLogin(browser, device.verification_uri_complete!, user);
  const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
  await login;
  return tokens.access_token;
}

const hubFetch = (path: string, init: RequestInit = {}, bearer: string | null = token) =>
  fetchOrg(new URL(path, hub.url), { ...init, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(init.headers as object) } });

const record = (messageId: number): OutboxRecord => ({
  messageId, sessionId: 'sess-1', ts: 1_700_000_000_000 + messageId, direction: 'to-server', kind: 'request', rpcId: String(messageId),
  method: 'tools/call', tool: 'echo', size: 20, durationMs: null, outcome: 'forwarded', decision: 'allow', ruleId: null,
  body: '{"jsonrpc":"2.0"}', server: 'probe', client: 'test', userId: 'ada', userName: 'ada', groups: [], detectors: [], chainHash: null,
});
const postLogs = (key: string, ids: number[], body?: Buffer) =>
  hubFetch('/v1/logs', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'idempotency-key': key },
    body: new Uint8Array(body ?? gzipSync(JSON.stringify(encodeAuditLogs(ids.map(record), { installationId: 'inst-x', version: '0.0.0' })))),
  });
const hubRecordIds = () => {
  const db = new Database(join(hub.dataDir, 'airlock-hub.db'), { readonly: true });
  try {
    return (db.prepare('SELECT record_id FROM records ORDER BY record_id').all() as Array<{ record_id: string }>).map((r) => r.record_id);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  if (skip) return;
  ca = createTestCa();
  fetchOrg = orgFetch(ca.caPath);
  issuer = await startOidcIssuer(ca);
  shortIssuer = await startOidcIssuer(ca, { accessTokenTtl: 1 });
  browser = await launchChromium();
  hub = await startHubProcess({ ca, issuer: issuer.issuer, audience: issuer.audience });
  token = await deviceToken(issuer, 'ada');
}, 90_000);

afterAll(async () => {
  await hub?.remove();
  await browser?.close();
  await issuer?.stop();
  await shortIssuer?.stop();
  ca?.remove();
});

describe.skipIf(skip)('the hub checks access tokens', () => {
  it("serves the policy bundle and the sessions view to a valid token from the org's issuer", async () => {
    const bundle = await hubFetch('/policy/bundle');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('etag')).toBeTruthy();
    expect(((await bundle.json()) as { version: string }).version).toBe('test-1');
    const sessions = await hubFetch('/sessions.json');
    expect(sessions.status).toBe(200);
  });

  it('refuses every route but /healthz without a token, with a Bearer challenge', async () => {
    for (const [method, path] of [['GET', '/policy/bundle'], ['POST', '/v1/logs'], ['GET', '/sessions'], ['GET', '/sessions.json']]) {
      const response = await hubFetch(path, { method }, null);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="airlock-hub"');
    }
    expect((await hubFetch('/healthz', {}, null)).status).toBe(200);
  });

  it('refuses a token signed by another key, although it names the issuer, the audience and its key id', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'mallory' })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const response = await hubFetch('/sessions.json', {}, forged);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token", error_description="the token is not signed by the issuer"');
  });

  it('refuses a token from another issuer', async () => {
    const other = await deviceToken(shortIssuer, 'ada');
    expect((await hubFetch('/sessions.json', {}, other)).status).toBe(401);
  });

  it("refuses a valid token issued for another audience than the hub's", async () => {
    const otherHub = await createHubAuth({ issuer: issuer.issuer, audience: 'https://other-hub.example', fetch: fetchOrg });
    const verdict = await otherHub(`Bearer ${token}`);
    expect(verdict).toMatchObject({ ok: false, reason: 'the token\'s "aud" claim is not accepted' });
    expect((await (await createHubAuth({ issuer: issuer.issuer, audience: issuer.audience, fetch: fetchOrg }))(`Bearer ${token}`)).ok).toBe(true);
  });

  it('refuses a token once it has expired', async () => {
    const short = await deviceToken(shortIssuer, 'ada');
    const auth = await createHubAuth({ issuer: shortIssuer.issuer, audience: shortIssuer.audience, fetch: fetchOrg });
    const exp = (JSON.parse(Buffer.from(short.split('.')[1], 'base64url').toString()) as { exp: number }).exp;
    // Waits for the token's own expiry (1 s after issue), not for a guessed duration.
    while (Date.now() / 1000 < exp + 1) await new Promise((r) => setTimeout(r, 100));
    expect(await auth(`Bearer ${short}`)).toMatchObject({ ok: false, reason: 'the token has expired' });
  });
});

describe.skipIf(skip)('the hub takes in OTLP logs', () => {
  it('keeps each record once, whether a batch is resent with its key or its records come again in another batch', async () => {
    expect((await postLogs('batch-1', [1, 2, 3])).status).toBe(200);
    expect((await postLogs('batch-1', [1, 2, 3])).status).toBe(200);
    expect((await postLogs('batch-2', [3, 4])).status).toBe(200);
    expect(hubRecordIds()).toEqual(['inst-x:1', 'inst-x:2', 'inst-x:3', 'inst-x:4']);
    const sessions = (await (await hubFetch('/sessions.json')).json()) as { items: Array<{ sessionId: string; records: number; userId: string }> };
    expect(sessions.items).toEqual([expect.objectContaining({ sessionId: 'sess-1', records: 4, userId: 'ada' })]);
  });

  it('refuses bodies that are not gzip, not OTLP, lack record ids, or inflate beyond the limit', async () => {
    expect((await postLogs('bad-1', [], Buffer.from('not gzip'))).status).toBe(400);
    expect((await postLogs('bad-2', [], gzipSync('{"resourceLogs": 5}'))).status).toBe(400);
    const noId = encodeAuditLogs([record(9)], { installationId: 'inst-x', version: '0' });
    const logRecord = noId.resourceLogs[0].scopeLogs[0].logRecords[0];
    logRecord.attributes = logRecord.attributes!.filter((a) => a.key !== 'airlock.record.id');
    expect((await postLogs('bad-3', [], gzipSync(JSON.stringify(noId)))).status).toBe(400);
    expect((await postLogs('bad-4', [], gzipSync(Buffer.alloc(MAX_JSON_BYTES + 1, 0x20)))).status).toBe(400);
    expect(hubRecordIds()).not.toContain('inst-x:9');
  });
});
