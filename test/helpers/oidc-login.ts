import type { Browser } from 'playwright-core';

/**
 * Plays the user's part of a device login in a real browser: opens the verification link, confirms
 * the code, signs in as `user` on the provider's development login form, and grants consent.
 */
export async function completeDeviceLogin(browser: Browser, verificationUri: string, user: string): Promise<void> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  try {
    await page.goto(verificationUri);
    await page.locator('button[type=submit], input[type=submit]').first().click();
    await page.locator('input[name=login]').fill(user);
    await page.locator('input[name=password]').fill('any');
    await page.locator('button[type=submit]').first().click();
    await page.locator('button[type=submit]').first().click();
    await page.getByText(/sign-in|success/i).first().waitFor();
  } finally {
    await context.close();
  }
}
