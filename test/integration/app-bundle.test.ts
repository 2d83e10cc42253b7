import type { Metafile } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';

// The desktop app ships bundles, not the sources: this builds them (`npm run bundle`) and runs the
// gateway bundle for real under Node, the way the app's utility process runs it.
const DIST_APP = join(REPO, 'dist-app');
let metafiles: Record<'main' | 'preload' | 'gateway', Metafile>;

beforeAll(async () => {
  const { bundleApp } = (await import(join(REPO, 'scripts/bundle-app.mjs'))) as { bundleApp(): Promise<typeof metafiles> };
  metafiles = await bundleApp();
}, 120_000);

const inputsOf = (meta: Metafile) => Object.keys(meta.inputs);
const importsOf = (meta: Metafile) => Object.values(meta.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));

describe('the desktop app bundles', () => {
  it('builds main, preload and gateway, with the tray icons beside main', () => {
    for (const file of ['main.mjs', 'preload.cjs', 'gateway.mjs', 'assets/tray.png', 'assets/trayTemplate.png']) {
      expect(existsSync(join(DIST_APP, file)), file).toBe(true);
    }
  });

  it('keeps each process to its own folder: main and preload hold no gateway or renderer code', () => {
    for (const name of ['main', 'preload'] as const) {
      const foreign = inputsOf(metafiles[name]).filter((input) => input.startsWith('src-gateway/') || input.startsWith('src-renderer/'));
      expect(foreign, name).toEqual([]);
    }
    expect(inputsOf(metafiles.gateway).filter((input) => input.startsWith('src-main/') || input.startsWith('src-renderer/'))).toEqual([]);
  });

  it('leaves only Electron and the native modules outside the bundles', () => {
    const allowed = (path: string) => path.startsWith('node:') || ['electron', 'better-sqlite3', '@napi-rs/keyring'].includes(path);
    expect(importsOf(metafiles.main).filter((path) => !allowed(path))).toEqual([]);
    expect(importsOf(metafiles.preload).filter((path) => !path.startsWith('node:') && path !== 'electron')).toEqual([]);
    expect(importsOf(metafiles.gateway)).not.toContain('electron');
  });
});

describe('the gateway bundle', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    // The default config's demo server is `airlock demo-server`: from the bundle, that must be the bundle again.
    gateway = await startGatewayProcess({ servers: { demo: { command: 'airlock', args: ['demo-server'] } } }, {}, join(DIST_APP, 'gateway.mjs'));
  }, 60_000);
  afterAll(() => gateway?.stop());

  it('serves an agent through a demo server it starts from itself, masking as the sources do', async () => {
    const client = await gateway.connect('demo');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('find_customer');
    const found = await client.callTool({ name: 'find_customer', arguments: { query: 'a', limit: 1 } });
    expect((found.structuredContent as { customers: Array<{ email: string }> }).customers[0].email).toMatch(/^<email_\d+>$/);
  });

  it('serves the tray window from the renderer build', async () => {
    const response = await fetch(new URL('/ui/', gateway.url));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });
});
