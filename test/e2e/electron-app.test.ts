import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/gateway-process.js';

/**
 * Electron's binary, where this machine has it. npm does not fetch it (the electron package
 * downloads it on first use, which offline CI cannot); `npx install-electron` does, where the
 * network allows.
 */
function electronBinary(): string | undefined {
  const pathFile = join(REPO, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(REPO, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary) {
  console.info('Skipping the Electron smoke test: no Electron binary in node_modules/electron/dist. Run `npx install-electron` where the network allows, then `npm run bundle`.');
}

// The real app, launched as a user would (`npm run app`), on a fresh profile: the window opens, its
// page reaches the gateway through the preload bridge, and the page never holds a control token.
describe.skipIf(!binary)('the desktop app (Electron smoke test)', () => {
  let app: ElectronApplication;
  let profile: string;

  beforeAll(async () => {
    const { bundleApp } = (await import(join(REPO, 'scripts/bundle-app.mjs'))) as { bundleApp(): Promise<unknown> };
    await bundleApp();
    profile = mkdtempSync(join(tmpdir(), 'airlock-electron-'));
    app = await _electron.launch({
      executablePath: binary,
      args: [REPO, `--user-data-dir=${profile}`, '--no-sandbox'],
      env: { ...process.env, AIRLOCK_SECRET_STORE: 'env', HOME: profile },
      timeout: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('opens the window on the Activity page, connected to its gateway', async () => {
    const window = await app.firstWindow();
    await window.getByRole('navigation').getByRole('link', { name: 'Activity' }).waitFor();
    expect(new URL(window.url()).protocol).toBe('app:');
    const health = await window.evaluate(async () => {
      const bridge = (window as unknown as { airlockBridge: { request(input: unknown): Promise<{ ok: boolean; data?: { version?: string } }> } }).airlockBridge;
      return bridge.request({ method: 'GET', path: '/control/health', query: {} });
    });
    expect(health.ok).toBe(true);
  });

  it('keeps the control token out of the page', async () => {
    const window = await app.firstWindow();
    const token = readFileSync(join(profile, 'gateway', 'control-token'), 'utf8').trim();
    const exposed = await window.evaluate(() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage }, url: location.href, globals: Object.keys(window) }));
    expect(exposed).not.toContain(token);
  });

  it('runs the window sandboxed, without Node', async () => {
    const window = await app.firstWindow();
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  });
});
