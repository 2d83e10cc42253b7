// `npm run bench:policy`: nanoseconds per policy evaluation for a realistic 200-rule policy against
// no policy at all, in one process. Not a test: it prints figures and exits 1 if the target is missed.
import { cpus } from 'node:os';
import { compilePolicy, type CallDescription, type CompiledPolicy } from '../../src-gateway/policy/compile-policy.js';
import { DEFAULT_POLICY } from '../../src-gateway/policy/default-policy.js';
import { PolicySchema, type Policy } from '../../src-gateway/policy/policy-schema.js';
import { realisticPolicy } from './realistic-policy.js';
import { quantile } from './stats.js';

/** What the issue allows policy evaluation to add per call, at p50. */
const TARGET_NS = 10_000;
const ROUNDS = 5;
const SAMPLES_PER_ROUND = 60_000;
const WARMUP = 200_000;


const matchingCall: CallDescription = {
  server: 'warehouse',
  method: 'tools/call',
  tool: 'run_query',
  arguments: { query: 'SELECT id, total FROM orders WHERE placed_at > ? ORDER BY total DESC', limit: 100, path: '/reports/q3.csv' },
  client: 'cursor',
  groups: ['staff', 'analysts'],
};
const unmatchedCall: CallDescription = { ...matchingCall, tool: 'export_report' };

interface Scenario {
  name: string;
  rules: number;
  policy: CompiledPolicy;
  call: CallDescription;
  expected: string;
  samples: number[];
}

function scenario(name: string, policy: Policy, call: CallDescription, expected: string): Scenario {
  return { name, rules: policy.rules.length, policy: compilePolicy(policy), call, expected, samples: [] };
}

function measure(target: Scenario, count: number): void {
  const { policy, call } = target;
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    policy.evaluate(call);
    target.samples.push(Number(process.hrtime.bigint() - start));
  }
}

function main(): void {
  const realistic = realisticPolicy();
  const none = scenario('no policy (empty rules)', PolicySchema.parse({ rules: [] }), matchingCall, 'default');
  const scenarios = [
    none,
    scenario('200 rules, match at rule 196', realistic, matchingCall, 'warehouse-select'),
    scenario('200 rules, no match', realistic, unmatchedCall, 'default'),
    scenario('embedded default policy, SELECT', DEFAULT_POLICY, { ...matchingCall, server: 'demo', tool: 'run_sql', arguments: { query: 'SELECT * FROM customers' } }, 'default'),
  ];
  for (const s of scenarios) {
    const id = s.policy.evaluate(s.call).rule?.id ?? 'default';
    if (id !== s.expected) throw new Error(`${s.name}: decided by ${id}, expected ${s.expected}`);
    measure(s, WARMUP);
    s.samples.length = 0;
  }
  // Rounds interleave the scenarios, so drift in clock speed or load touches them all alike.
  for (let round = 0; round < ROUNDS; round++) for (const s of scenarios) measure(s, SAMPLES_PER_ROUND);

  const baseline = quantile(none.samples, 0.5)!;
  const lines = [
    `## Policy evaluation, ${new Date().toISOString()}`,
    '',
    `${ROUNDS} × ${SAMPLES_PER_ROUND.toLocaleString('en-US')} timed calls per scenario after ${WARMUP.toLocaleString('en-US')} warm-up calls; ` +
      `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}. Each figure includes reading the clock, which "no policy" measures alone.`,
    '',
    '| scenario | rules | p50 ns | p99 ns | p50 − no policy |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  const added: number[] = [];
  for (const s of scenarios) {
    const p50 = quantile(s.samples, 0.5)!;
    const p99 = quantile(s.samples, 0.99)!;
    if (s.rules === 200) added.push(p50 - baseline);
    lines.push(`| ${s.name} | ${s.rules} | ${p50} | ${p99} | ${s === none ? '–' : p50 - baseline} |`);
  }
  const worst = Math.max(...added);
  const met = worst <= TARGET_NS;
  lines.push('', `Target: a 200-rule policy adds ≤ ${TARGET_NS.toLocaleString('en-US')} ns per call at p50. Worst: ${worst} ns. Met: ${met ? 'yes' : '**no**'}.`);
  process.stdout.write(lines.join('\n') + '\n');
  if (!met) process.exitCode = 1;
}

main();
