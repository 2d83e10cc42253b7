import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { startOidcIssuer, type OidcIssuer } from '../helpers/oidc-issuer.js';
import { completeDeviceLogin } from '../helpers/oidc-login.js';
import { createTestCa, type TestCa } from '../helpers/test-ca.js';
import { chromiumMissing, launchChromium, openUi, pageErrors } from './browser.js';
import { AirlockWindow } from './pages/airlock-window.js';

const missing = chromiumMissing();
let ca: TestCa;
let issuer: OidcIssuer;
let browser: Browser;
let gateway: GatewayProcess;
let page: Page;

beforeAll(async () => {
  if (missing) return;
  ca = createTestCa();
  issuer = await startOidcIssuer(ca);
  browser = await launchChromium();
  gateway = await startGatewayProcess(
    { org: { issuer: issuer.issuer, hub: 'https://127.0.0.1:9/', audience: issuer.audience, caFile: ca.caPath } },
    { AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: 'org-page-test-passphrase' },
  );
  page = await openUi(browser, gateway);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await issuer?.stop();
  ca?.remove();
});

describe.skipIf(missing !== undefined).sequential('the Org page', () => {
  it('signs in with a code, shows the user and their groups, and signs out', async () => {
    issuer.setGroups('ada', ['dba']);
    const window = new AirlockWindow(page);
    await window.open('Org');
    await expect.poll(() => window.heading('Org').isVisible()).toBe(true);
    await page.getByText('Signed out.').waitFor();

    await page.getByRole('button', { name: 'Sign in with a code' }).click();
    const pending = page.getByRole('status').filter({ hasText: 'enter the code' });
    const link = await pending.getByRole('link').getAttribute('href');
    await completeDeviceLogin(browser, link!, 'ada');

    const facts = page.getByRole('definition');
    await facts.filter({ hasText: 'ada@example.test' }).waitFor();
    await expect.poll(() => facts.filter({ hasText: /^dba$/ }).count()).toBe(1);
    expect(await pending.count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Signed out.').waitFor();
    expect(pageErrors(page)).toEqual([]);
  });
});
