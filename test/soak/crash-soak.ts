// `npm run soak`: the kill -9 cycles of test/integration/store/crash-durability.test.ts at soak
// scale. Prints the figures as JSON and exits 1 if any acknowledged record went missing, the
// store failed `PRAGMA integrity_check`, or a hash chain broke.
//
//   npm run soak -- [--writer-cycles N] [--gateway-cycles N] [--seed N]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gatewayCrashCycles, storeWriterCrashCycles, type CrashFigures } from '../helpers/crash-cycles.js';
import { AIRLOCK_BIN } from '../helpers/gateway-process.js';

const { values } = parseArgs({
  options: {
    'writer-cycles': { type: 'string', default: '2000' },
    'gateway-cycles': { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
});
const seed = Number(values.seed);
const root = mkdtempSync(join(tmpdir(), 'airlock-soak-'));

function report(name: string, figures: CrashFigures, startedAt: number): boolean {
  const seconds = (performance.now() - startedAt) / 1000;
  const { problems, ...counts } = figures;
  console.log(JSON.stringify({ run: name, seed, ...counts, problems: problems.length, seconds: Math.round(seconds), cyclesPerSecond: +(figures.cycles / seconds).toFixed(2) }));
  for (const problem of problems.slice(0, 20)) console.log(`  ${problem}`);
  return problems.length === 0 && figures.missing === 0 && figures.integrityFailures === 0 && figures.chainFailures === 0;
}

try {
  let ok = true;
  let startedAt = performance.now();
  const writer = await storeWriterCrashCycles({ root: join(root, 'writer'), cycles: Number(values['writer-cycles']), seed, maxAcks: 200 });
  ok = report('store-writer kill -9', writer, startedAt) && ok;
  startedAt = performance.now();
  const gateway = await gatewayCrashCycles({
    root: join(root, 'gateway'),
    cycles: Number(values['gateway-cycles']),
    seed,
    inFlight: 8,
    maxAcks: 100,
    upstream: { server: { command: process.execPath, args: [AIRLOCK_BIN, 'demo-server'] }, call: { name: 'find_customer', arguments: { query: 'a' } } },
  });
  ok = report('gateway kill -9', gateway, startedAt) && ok;
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
