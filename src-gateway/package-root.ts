import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled gateway of the desktop app (see scripts/bundle-app.mjs), when this code runs from it. */
const BUNDLE_NAME = 'gateway.mjs';
const HERE = fileURLToPath(import.meta.url);

/**
 * The folder holding Airlock's package.json. Found by walking up, because this file runs from the
 * sources, compiled into dist/, and bundled into dist-app/, at different depths.
 */
function findPackageRoot(): string {
  let dir = dirname(HERE);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the Airlock package root');
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();

/** The script behind the `airlock` command: `bin/airlock.js`, or the desktop app's gateway bundle itself. */
export const AIRLOCK_BIN = basename(HERE) === BUNDLE_NAME ? HERE : join(PACKAGE_ROOT, 'bin', 'airlock.js');

/** Airlock's version, from its package.json. */
export const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

/**
 * How another process runs this installation's CLI. Under Node it is `node bin/airlock.js`; inside
 * the desktop app `process.execPath` is the app's own binary, which runs a script as plain Node only
 * with `ELECTRON_RUN_AS_NODE=1` (and then reads the bundle from inside the app archive).
 */
export function airlockCommand(): { command: string; args: string[]; env: Record<string, string> } {
  return {
    command: process.execPath,
    args: [AIRLOCK_BIN],
    env: process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
  };
}
