import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgLoginView, OrgStatusView, PolicyView } from '../../../src-gateway/control/contract.js';
import { chromiumMissing, launchChromium } from '../../e2e/browser.js';
import { control } from '../../helpers/control-client.js';
import { AIRLOCK_BIN, fixtureCommand, REPO, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';
import { startHubProcess, type HubProcess } from '../../helpers/hub-process.js';
import { startOidcIssuer, type OidcIssuer } from '../../helpers/oidc-issuer.js';
import { completeDeviceLogin } from '../../helpers/oidc-login.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';

const skip = chromiumMissing();

const BUNDLE = {
  version: 'org-2026-11',
  mandatoryDetectors: ['email'],
  policy: {
    rules: [
      { id: 'org-no-crash', match: { tool: 'crash' }, action: 'deny', reason: 'The org forbids crashing servers' },
      { id: 'org-contractors-no-whoami', match: { tool: 'whoami', group: 'contractors' }, action: 'deny', reason: 'Contractors may not ask whoami' },
    ],
  },
};
/** The developer's own policy tries to allow everything and turn masking off; the org's wins where stricter. */
const LOCAL_POLICY = { rules: [{ id: 'local-allow-all', action: 'allow' }], masking: { enabled: false } };

let ca: TestCa;
let issuer: OidcIssuer;
let browser: Browser;
let hub: HubProcess;
let gateway: GatewayProcess;
let scratch: string;

const text = (result: Record<string, unknown>) => (result.content as Array<{ text: string }>)[0].text;

beforeAll(async () => {
  if (skip) return;
  ca = createTestCa();
  issuer = await startOidcIssuer(ca);
  browser = await launchChromium();
  scratch = mkdtempSync(join(tmpdir(), 'airlock-org-policy-'));
  writeFileSync(join(scratch, 'policy.json'), JSON.stringify(LOCAL_POLICY));
  // The reference hub checks every access token against the issuer before it serves the bundle.
  hub = await startHubProcess({ ca, issuer: issuer.issuer, audience: issuer.audience, bundle: BUNDLE });
  gateway = await startGatewayProcess({
    servers: { probe: fixtureCommand('probe-server.ts') },
    policy: join(scratch, 'policy.json'),
    org: { issuer: issuer.issuer, hub: hub.url, audience: issuer.audience, caFile: ca.caPath },
  });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await browser?.close();
  await hub?.remove();
  await issuer?.stop();
  ca?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(skip)("the org's policy bundle in a running gateway", () => {
  it('has no org policy in force before sign-in, and says why', async () => {
    const status = (await control<OrgStatusView>(gateway, 'GET', '/control/org')).data;
    expect(status.policy).toMatchObject({ version: null, error: expect.stringContaining('not signed in') });
  });

  it("fetches the bundle with the user's access token as soon as they sign in", async () => {
    issuer.setGroups('ada', ['contractors']);
    const login = (await control<OrgLoginView>(gateway, 'POST', '/control/org/login', { flow: 'device' })).data as Extract<OrgLoginView, { flow: 'device' }>;
    await completeDeviceLogin(browser, login.verificationUriComplete!, 'ada');
    const policy = await waitFor(async () => (await control<OrgStatusView>(gateway, 'GET', '/control/org')).data.policy?.version === BUNDLE.version, 'the org bundle in force');
    expect(policy).toBe(true);
    const view = (await control<PolicyView>(gateway, 'GET', '/control/policy')).data;
    expect(view.rules.slice(0, 3).map(({ id, source }) => [id, source])).toEqual([
      ['org-no-crash', 'org'],
      ['org-contractors-no-whoami', 'org'],
      ['local-allow-all', 'file'],
    ]);
  });

  it('denies what the org denies although a local rule allows it', async () => {
    const client = await gateway.connect('probe');
    const result = await client.callTool({ name: 'crash', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('The org forbids crashing servers');
  });

  it("applies the org's group rule to the signed-in user's groups", async () => {
    const client = await gateway.connect('probe');
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('Contractors may not ask whoami');
  });

  it("follows the user's groups: after a change at the issuer and a new sign-in, the group rule no longer applies", async () => {
    issuer.setGroups('ada', ['engineering']);
    const login = (await control<OrgLoginView>(gateway, 'POST', '/control/org/login', { flow: 'device' })).data as Extract<OrgLoginView, { flow: 'device' }>;
    await completeDeviceLogin(browser, login.verificationUriComplete!, 'ada');
    await waitFor(async () => (await control<OrgStatusView>(gateway, 'GET', '/control/org')).data.identity?.groups.includes('engineering'), 'the new groups');
    const client = await gateway.connect('probe');
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
  });

  it('takes a changed bundle by its ETag, and keeps the one it has while the hub answers 304', async () => {
    const before = (await control<OrgStatusView>(gateway, 'POST', '/control/org/sync')).data.policy!;
    const unchanged = (await control<OrgStatusView>(gateway, 'POST', '/control/org/sync')).data.policy!;
    expect(unchanged).toMatchObject({ version: BUNDLE.version, etag: before.etag, fetchedAt: before.fetchedAt });
    expect(unchanged.checkedAt!).toBeGreaterThanOrEqual(before.checkedAt!);

    const bundleFile = join(hub.policyDir, 'bundle.json');
    const engineers = { id: 'org-engineers-no-whoami', match: { tool: 'whoami', group: 'engineering' }, action: 'deny', reason: 'Engineers may not ask whoami either' };
    writeFileSync(bundleFile, JSON.stringify({ ...BUNDLE, version: 'org-2026-12', policy: { rules: [...BUNDLE.policy.rules, engineers] } }));
    const updated = (await control<OrgStatusView>(gateway, 'POST', '/control/org/sync')).data.policy!;
    expect(updated.version).toBe('org-2026-12');
    expect(updated.etag).not.toBe(before.etag);
    const client = await gateway.connect('probe');
    expect(text(await client.callTool({ name: 'whoami', arguments: {} }))).toContain('Engineers may not ask whoami either');

    writeFileSync(bundleFile, JSON.stringify(BUNDLE));
    expect((await control<OrgStatusView>(gateway, 'POST', '/control/org/sync')).data.policy!.version).toBe(BUNDLE.version);
  });

  it('masks with the mandatory detectors although local masking is off', async () => {
    const client = await gateway.connect('probe');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'write to ada@example.com' } });
    expect(result.isError).toBeFalsy();
    expect(text(result)).not.toContain('ada@example.com');
  });

  it('keeps the bundle in force when the hub goes away', async () => {
    await hub.stop();
    const status = (await control<OrgStatusView>(gateway, 'POST', '/control/org/sync')).data;
    expect(status.policy).toMatchObject({ version: BUNDLE.version, error: expect.stringMatching(/cannot be reached.*the last good bundle \(version org-2026-11\) stays in force/) });
    const client = await gateway.connect('probe');
    expect((await client.callTool({ name: 'crash', arguments: {} })).isError).toBe(true);
  });
});

describe.skipIf(skip)('the saved org policy bundle', () => {
  it('is in force from the first call after a restart, with the hub still down', async () => {
    const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
    gateway.child.kill('SIGTERM');
    await exited;
    const runtimeFile = join(gateway.dataDir, 'runtime.json');
    const child = spawn(process.execPath, [AIRLOCK_BIN, 'gateway', '--config', gateway.configPath, '--data-dir', gateway.dataDir], {
      cwd: REPO,
      env: { ...process.env, AIRLOCK_SECRET_STORE: 'env' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const client = new Client({ name: 'airlock-test', version: '1.0.0' });
    try {
      await waitFor(() => existsSync(runtimeFile) && output.includes('Agent URL'), 'the gateway to start again', 20_000);
      const { url } = JSON.parse(readFileSync(runtimeFile, 'utf8')) as { url: string };
      await client.connect(new StreamableHTTPClientTransport(new URL('/servers/probe/mcp', url), { requestInit: { headers: { Authorization: `Bearer ${gateway.token}` } } }));
      const result = await client.callTool({ name: 'crash', arguments: {} });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('The org forbids crashing servers');
    } finally {
      await client.close().catch(() => {});
      const stopped = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await stopped;
    }
  });
});
