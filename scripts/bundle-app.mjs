#!/usr/bin/env node
// Bundles the desktop app's three Node-side programs into dist-app/ for electron-builder:
//   main.mjs     the Electron main process (src-main/main.ts)
//   preload.cjs  the window's preload script; sandboxed preloads must be a single CommonJS file
//   gateway.mjs  the gateway CLI (src-gateway/cli.ts), forked by main as a utility process
//   assets/      the tray icons
// The renderer is built by Vite into dist/renderer (`npm run build`). Native modules stay outside
// the bundles: electron-builder rebuilds them for Electron and unpacks them from the app archive.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist-app');
const NATIVE = ['better-sqlite3', '@napi-rs/keyring'];

// Bundled CommonJS dependencies call require(); an ES module has none, so give it one.
const ESM_REQUIRE = "import { createRequire as __airlockRequire } from 'node:module'; const require = __airlockRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

/** Builds the three bundles; returns esbuild's metafiles, so callers (and tests) can see what went in. */
export async function bundleApp() {
  rmSync(outdir, { recursive: true, force: true });
  const [main, preload, gateway] = await Promise.all([
    build({ ...common, entryPoints: { main: join(root, 'src-main/main.ts') }, outdir, format: 'esm', outExtension: { '.js': '.mjs' }, external: ['electron', ...NATIVE], banner: { js: ESM_REQUIRE } }),
    build({ ...common, entryPoints: { preload: join(root, 'src-main/preload.ts') }, outdir, format: 'cjs', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
    build({ ...common, entryPoints: { gateway: join(root, 'src-gateway/cli.ts') }, outdir, format: 'esm', outExtension: { '.js': '.mjs' }, external: NATIVE, banner: { js: ESM_REQUIRE } }),
  ]);
  // The tray icons, next to main, which loads them by path.
  cpSync(join(root, 'src-main/assets'), join(outdir, 'assets'), { recursive: true });
  return { main: main.metafile, preload: preload.metafile, gateway: gateway.metafile };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const metafiles = await bundleApp();
  for (const [name, meta] of Object.entries(metafiles)) {
    for (const [file, output] of Object.entries(meta.outputs)) {
      if (!file.endsWith('.map')) console.log(`${name.padEnd(8)} ${file} ${(output.bytes / 1024).toFixed(0)} KiB`);
    }
  }
  console.log(`bundled in ${Date.now() - started} ms`);
}
