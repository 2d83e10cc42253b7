#!/usr/bin/env node
// Entry point for `airlock` / `npx airlock`. Runs the compiled gateway (dist/), which `npm install`
// builds through the `prepare` script; `npm run build` rebuilds it after a change to the sources.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src-gateway/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('airlock: the gateway is not built yet; run `npm run build` (npm install does it too)\n');
  process.exit(1);
}
await import(cli.href);
