import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../../e2e/browser.js';
import { OIDC_CLIENT_ID, startOidcIssuer, type OidcIssuer } from '../../helpers/oidc-issuer.js';
import { createTestCa, type TestCa } from '../../helpers/test-ca.js';
import { completeDeviceLogin } from '../../helpers/oidc-login.js';
import type { Browser } from 'playwright-core';

const skip = chromiumMissing();
let ca: TestCa;
let issuer: OidcIssuer;
let browser: Browser;

beforeAll(async () => {
  if (skip) return;
  ca = createTestCa();
  issuer = await startOidcIssuer(ca);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await issuer?.stop();
  ca?.remove();
});

describe.skipIf(skip)('the test OIDC provider', () => {
  it('signs a user in with the device flow and issues a refreshable JWT access token for the hub with their groups', async () => {
    issuer.setGroups('ada', ['engineering']);
    const dispatcher = new Agent({ connect: { ca: ca.caPem } });
    const config = await oidc.discovery(new URL(issuer.issuer), OIDC_CLIENT_ID, undefined, oidc.None(), {
      [oidc.customFetch]: (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>,
    });
    const device = await oidc.initiateDeviceAuthorization(config, { scope: 'openid offline_access email groups', resource: issuer.audience });
    const login = completeDeviceLogin(browser, device.verification_uri_complete!, 'ada');
    const tokens = await oidc.pollDeviceAuthorizationGrant(config, device);
    await login;
    expect(tokens.claims()?.groups).toEqual(['engineering']);
    expect(tokens.refresh_token).toBeTruthy();
    const [, payload] = tokens.access_token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString()).aud).toBe(issuer.audience);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { resource: issuer.audience });
    expect(refreshed.access_token).not.toBe(tokens.access_token);
  });
});
