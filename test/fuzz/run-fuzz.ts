// `npm run fuzz [-- --cases 1000000] [--only http-front|stdio-front|policy|masking] [--seed n]`
//
// The long fuzz run: at least a million generated cases by default, split over the four targets in
// proportion to their speed, against a real gateway for the fronts. Each target runs in rounds of
// its own seed; a round that finds a failure keeps the shrunk case in the seed corpus
// (test/fixtures/fuzz-corpus/<target>/found-*.json, replayed by `npm test`) and the run goes on.
// Prints every count, the failures, and the gateway's memory; exits 1 if anything failed.
import fc from 'fast-check';
import { parseArgs } from 'node:util';
import { maskingCase, policyCase, runMaskingCase, runPolicyCase } from './engine-targets.js';
import { saveToCorpus, type FuzzTargetName } from './fuzz-corpus.js';
import { startFuzzGateway } from './fuzz-gateway.js';
import { httpCase, HttpFrontTarget } from './http-front-target.js';
import { stdioCase, StdioFrontTarget } from './stdio-front-target.js';

/** Shares of the total, by how fast each target runs (the fronts go through HTTP and processes). */
const SHARES: Record<FuzzTargetName, number> = { policy: 0.48, masking: 0.4, 'http-front': 0.1, 'stdio-front': 0.02 };
const ROUND = 10_000;

const { values } = parseArgs({ options: { cases: { type: 'string', default: '1000000' }, only: { type: 'string' }, seed: { type: 'string' } } });
const total = Number(values.cases);
const baseSeed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const targets = (Object.keys(SHARES) as FuzzTargetName[]).filter((name) => values.only === undefined || values.only === name);
const share = targets.reduce((sum, name) => sum + SHARES[name], 0);

interface Tally {
  cases: number;
  failures: string[];
  seconds: number;
}
const tallies = new Map<FuzzTargetName, Tally>();

/** Runs `count` cases in rounds; a failing round is saved to the corpus and the next round starts. */
async function fuzz<T>(name: FuzzTargetName, count: number, arbitrary: fc.Arbitrary<T>, run: (value: T) => unknown): Promise<void> {
  const tally: Tally = { cases: 0, failures: [], seconds: 0 };
  tallies.set(name, tally);
  const started = performance.now();
  for (let round = 0; tally.cases < count; round++) {
    const numRuns = Math.min(ROUND, count - tally.cases);
    const seed = (baseSeed + round * 7919) % 2 ** 31;
    const details = await fc.check(fc.asyncProperty(arbitrary, async (value) => void (await run(value))), { numRuns, seed });
    tally.cases += details.numRuns;
    if (details.failed && details.counterexample) {
      const path = saveToCorpus(name, details.counterexample[0], details.errorInstance);
      tally.failures.push(`${String((details.errorInstance as Error)?.message ?? details.errorInstance).split('\n')[0]} (seed ${seed}; kept in ${path})`);
    }
    process.stdout.write(`\r${name}: ${tally.cases.toLocaleString('en')} / ${count.toLocaleString('en')} cases, ${tally.failures.length} failing`);
  }
  tally.seconds = (performance.now() - started) / 1000;
  process.stdout.write('\n');
}

const counts = Object.fromEntries(targets.map((name) => [name, Math.ceil((total * SHARES[name]) / share)])) as Record<FuzzTargetName, number>;
console.log(`fuzzing ${targets.join(', ')} with ${total.toLocaleString('en')} cases, seed ${baseSeed}`);

if (counts.policy) await fuzz('policy', counts.policy, policyCase, runPolicyCase);
if (counts.masking) await fuzz('masking', counts.masking, maskingCase, (value) => runMaskingCase(value));

let memory = '';
if (counts['http-front'] || counts['stdio-front']) {
  const gateway = await startFuzzGateway();
  try {
    const before = gateway.memory();
    if (counts['http-front']) {
      const http = new HttpFrontTarget(gateway.gateway.url, gateway.gateway.token);
      await http.setup();
      await fuzz('http-front', counts['http-front'], httpCase, async (value) => {
        await http.run(value);
        if (gateway.gateway.child.exitCode !== null) throw new Error(`the gateway exited with ${gateway.gateway.child.exitCode}`);
      });
      console.log(`http front: ${http.requests.toLocaleString('en')} requests, statuses ${JSON.stringify(Object.fromEntries([...http.statuses].sort(([a], [b]) => a - b)))}`);
    }
    if (counts['stdio-front'] && gateway.gateway.child.exitCode === null) {
      const stdio = new StdioFrontTarget(gateway.gateway.url, gateway.gateway.token);
      await stdio.setup();
      await fuzz('stdio-front', counts['stdio-front'], stdioCase, async (value) => {
        await stdio.run(value);
        if (stdio.child.exitCode !== null) throw new Error(`airlock connect exited with ${stdio.child.exitCode}`);
      });
      console.log(`stdio front: ${stdio.lines.toLocaleString('en')} lines`);
      await stdio.stop();
    }
    const after = gateway.memory();
    memory = `gateway RSS ${before.rssMiB} MiB before, ${after.rssMiB} MiB after, peak ${after.peakMiB} MiB; fuzz process heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB`;
    if (/Maximum call stack|Internal error|Uncaught/i.test(gateway.gateway.output())) tallies.get('http-front')?.failures.push('the gateway log shows an internal error; see its output');
  } finally {
    await gateway.stop();
  }
}

let cases = 0;
let failures = 0;
for (const [name, tally] of tallies) {
  cases += tally.cases;
  failures += tally.failures.length;
  console.log(`${name.padEnd(12)} ${tally.cases.toLocaleString('en').padStart(10)} cases in ${tally.seconds.toFixed(0)} s (${Math.round(tally.cases / tally.seconds)}/s), ${tally.failures.length} failing`);
  for (const failure of tally.failures) console.log(`  - ${failure}`);
}
if (memory) console.log(memory);
console.log(`total: ${cases.toLocaleString('en')} cases, ${failures} failing`);
process.exit(failures === 0 ? 0 : 1);
