import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OrgConfig } from '../../../src-gateway/config/config-schema.js';
import { OrgSchema } from '../../../src-gateway/config/config-schema.js';
import type { OrgLoginView } from '../../../src-gateway/control/contract.js';
import type { Logger } from '../../../src-gateway/logger.js';
import { createFileSecretStore } from '../../../src-gateway/secrets/file-secret-store.js';
import type { SecretStore } from '../../../src-gateway/secrets/secret-store.js';
import { OrgIdentity } from '../../../src-gateway/sync/identity/org-identity.js';
import { discoverIssuer } from '../../../src-gateway/sync/identity/oidc-discovery.js';
import { ORG_TOKENS_SECRET, StoredTokensSchema, type StoredTokens } from '../../../src-gateway/sync/identity/stored-tokens.js';
import { chromiumMissing, launchChromium } from '../../e2e/browser.js';
import { waitFor } from '../../helpers/gateway-process.js';
import { startOidcIssuer, type OidcIssuer } from '../../helpers/oidc-issuer.js';
import { completeDeviceLogin } from '../../helpers/oidc-login.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';

const skip = chromiumMissing();
let ca: TestCa;
let issuer: OidcIssuer;
let browser: Browser;
let org: OrgConfig;
let dataDir: string;
let secrets: SecretStore;
let logs: string[];
const identities: OrgIdentity[] = [];

const logger: Logger = {
  debug: (message) => logs.push(message),
  info: (message) => logs.push(message),
  warn: (message) => logs.push(message),
  error: (message) => logs.push(message),
};

function newIdentity(now?: () => number): OrgIdentity {
  const identity = new OrgIdentity({ org, secrets, logger, onChange: () => {}, now });
  identities.push(identity);
  return identity;
}

const stored = (): StoredTokens | undefined => {
  const text = secrets.get(ORG_TOKENS_SECRET);
  return text === undefined ? undefined : StoredTokensSchema.parse(JSON.parse(text));
};

/** Signs `user` in through the device flow, as a person would in a browser. */
async function deviceLogin(identity: OrgIdentity, user: string): Promise<void> {
  const view = (await identity.login('device')) as Extract<OrgLoginView, { flow: 'device' }>;
  await completeDeviceLogin(browser, view.verificationUriComplete!, user);
  await waitFor(() => identity.signedIn(), 'the sign-in to complete');
}

/** Plays the person in the system browser: the issuer's login and consent pages, then the loopback redirect. */
async function browserLogin(authorizationUrl: string, user: string): Promise<string> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  try {
    await page.goto(authorizationUrl);
    await page.locator('input[name=login]').fill(user);
    await page.locator('input[name=password]').fill('any');
    await page.locator('button[type=submit]').first().click();
    await page.locator('button[type=submit]').first().click();
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/);
    return await page.locator('body').innerText();
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  if (skip) return;
  ca = createTestCa();
  issuer = await startOidcIssuer(ca);
  browser = await launchChromium();
  org = OrgSchema.parse({ issuer: issuer.issuer, hub: 'https://127.0.0.1:9/', audience: issuer.audience, caFile: ca.caPath });
}, 60_000);

afterEach(() => {
  for (const identity of identities.splice(0)) identity.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterAll(async () => {
  await browser?.close();
  await issuer?.stop();
  ca?.remove();
});

function freshStore(): void {
  dataDir = mkdtempSync(join(tmpdir(), 'airlock-org-identity-'));
  secrets = createFileSecretStore({ dataDir, passphrase: 'org-identity-test-passphrase' });
  logs = [];
}

describe.skipIf(skip)('the org identity against a real OpenID provider', () => {
  it('signs in through the system browser with PKCE and a loopback redirect, and keeps the sign-in across restarts', async () => {
    freshStore();
    issuer.setGroups('grace', ['research']);
    const identity = newIdentity();
    const view = await identity.login('browser');
    expect(view.flow).toBe('browser');
    const url = new URL((view as Extract<OrgLoginView, { flow: 'browser' }>).authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(identity.pendingLogin()).toEqual(view);

    expect(await browserLogin(url.href, 'grace')).toContain('Signed in to Airlock');
    await waitFor(() => identity.signedIn(), 'the sign-in to complete');
    expect(identity.signedIn()).toEqual({ user: { id: 'grace', name: 'grace@example.test' }, groups: ['research'] });
    expect(identity.pendingLogin()).toBeNull();

    const restarted = newIdentity();
    expect(restarted.view()).toMatchObject({ subject: 'grace', groups: ['research'] });
  });

  it('refreshes the access token silently once it is about to expire, picking up new groups', async () => {
    freshStore();
    let clock = Date.now();
    const identity = newIdentity(() => clock);
    issuer.setGroups('ada', ['engineering']);
    await deviceLogin(identity, 'ada');
    const first = stored()!;
    expect(await identity.accessToken()).toBe(first.accessToken);

    issuer.setGroups('ada', ['engineering', 'dba']);
    clock = first.expiresAt; // the token is due
    const token = await identity.accessToken();
    expect(token).not.toBe(first.accessToken);
    expect(stored()!.accessToken).toBe(token);
    expect(identity.signedIn()?.groups).toEqual(['engineering', 'dba']);
  });

  it('signs out: the refresh token is revoked at the issuer and forgotten here', async () => {
    freshStore();
    const identity = newIdentity();
    await deviceLogin(identity, 'lin');
    const { refreshToken, accessToken } = stored()!;
    await identity.logout();
    expect(identity.signedIn()).toBeNull();
    expect(stored()).toBeUndefined();

    const config = await discoverIssuer(org);
    await expect(oidc.refreshTokenGrant(config, refreshToken!, { resource: issuer.audience })).rejects.toMatchObject({ error: 'invalid_grant' });
    for (const line of logs) {
      expect(line.includes(refreshToken!)).toBe(false);
      expect(line.includes(accessToken)).toBe(false);
    }
  });

  it('signs out by itself when the issuer refuses the refresh token, and says why', async () => {
    freshStore();
    const identity = newIdentity();
    await deviceLogin(identity, 'sam');
    const config = await discoverIssuer(org);
    await oidc.tokenRevocation(config, stored()!.refreshToken!, { token_type_hint: 'refresh_token' });

    await identity.refresh();
    expect(identity.signedIn()).toBeNull();
    expect(stored()).toBeUndefined();
    expect(identity.lastError()).toMatch(/invalid_grant/);
  });

  it('keeps the sign-in, and retries, when the issuer cannot be reached for a refresh', async () => {
    freshStore();
    const own = await startOidcIssuer(ca);
    const previousOrg = org;
    org = { ...org, issuer: own.issuer };
    try {
      const identity = newIdentity();
      await deviceLogin(identity, 'kim');
      await own.stop();
      await identity.refresh();
      expect(identity.signedIn()?.user.id).toBe('kim');
      expect(stored()?.subject).toBe('kim');
      expect(identity.lastError()).toMatch(/could not refresh/);
    } finally {
      org = previousOrg;
      await own.stop();
    }
  });
});
