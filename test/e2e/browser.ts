import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { GatewayProcess } from '../helpers/gateway-process.js';

/** Debian's Chromium; `.ci/run` installs it. Playwright never downloads a browser here. */
export const CHROMIUM = process.env.AIRLOCK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether the UI tests can run. Without Chromium they are skipped with a message on a developer's
 * machine; in CI (`CI` set) a missing browser is a failure, never a silent skip.
 */
export function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const message = `Chromium not found at ${CHROMIUM}: install Debian's chromium (apt install chromium) or set AIRLOCK_CHROMIUM`;
  if (process.env.CI) throw new Error(message);
  return message;
}

/** Headless, as root-safe as CI needs, and quiet: this machine's network refuses Google's hosts. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Opens the tray window's UI as `airlock ui` would: the control token in the URL fragment. */
export async function openUi(browser: Browser, gateway: GatewayProcess, options: { width?: number; height?: number; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  (page as Page & { airlockErrors?: string[] }).airlockErrors = errors;
  const token = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
  await page.goto(`${gateway.url}/ui/#token=${encodeURIComponent(token)}`);
  return page;
}

/** Errors the page logged or threw: CSP violations and React errors show up here. */
export function pageErrors(page: Page): string[] {
  return (page as Page & { airlockErrors?: string[] }).airlockErrors ?? [];
}

export const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
