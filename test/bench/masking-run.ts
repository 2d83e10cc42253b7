// The masking bench as a function, so that `npm run bench` can run it beside the gateway bench.
import { cpus } from 'node:os';
import { createMasker, type Masker } from '../../src-gateway/masking/mask-engine.js';
import { TokenVault } from '../../src-gateway/masking/token-vault.js';
import { customerRecords, plainProse, serviceLog } from './masking-inputs.js';
import { quantile } from './stats.js';

/** What the issue allows masking to cost, at p50, per 64 KB with all detectors on. */
export const MASKING_TARGET_MS = 1;

export interface MaskingInputResult {
  name: string;
  /** UTF-16 units masked per call. */
  chars: number;
  findings: number;
  megabytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface MaskingBenchResult {
  node: string;
  cpu: string;
  calls: number;
  inputs: MaskingInputResult[];
  targetMs: number;
  met: boolean;
}

interface Input {
  name: string;
  chars: number;
  mask: (masker: Masker) => number;
  samples: number[];
}

const WARMUP = 300;
const ROUNDS = 5;
const CALLS_PER_ROUND = 300;

function inputs(): Input[] {
  const records = customerRecords();
  const text = JSON.stringify(records, null, 2);
  const structured = { content: [], structuredContent: { records } };
  const textual = { content: [{ type: 'text', text }] };
  const log = serviceLog();
  const prose = plainProse();
  return [
    { name: 'JSON records, structuredContent', chars: text.length, mask: (m) => m.maskResult('tools/call', structured).findings.length, samples: [] },
    { name: 'JSON records as text (parsed, re-serialised)', chars: text.length, mask: (m) => m.maskResult('tools/call', textual).findings.length, samples: [] },
    { name: 'service log text', chars: log.length, mask: (m) => m.maskValue(log).findings.length, samples: [] },
    { name: 'prose, nothing to find', chars: prose.length, mask: (m) => m.maskValue(prose).findings.length, samples: [] },
  ];
}

/**
 * Masks each 64 KB input with every detector on and default styles (so emails take the token path),
 * in interleaved rounds, and reports throughput and per-call latency. The customer records are
 * measured twice: as structuredContent, and as the same JSON in a text block, which adds parsing it
 * and writing it back.
 */
export async function runMaskingBench(): Promise<MaskingBenchResult> {
  const masker = createMasker({ tokens: new TokenVault() });
  const all = inputs();
  const findings = all.map((input) => input.mask(masker));
  for (const input of all) for (let i = 0; i < WARMUP; i++) input.mask(masker);
  for (let round = 0; round < ROUNDS; round++) {
    for (const input of all) {
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        const start = process.hrtime.bigint();
        input.mask(masker);
        input.samples.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    // Let timers and I/O run between rounds, as the gateway would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const results = all.map((input, i): MaskingInputResult => {
    const total = input.samples.reduce((sum, ms) => sum + ms, 0);
    return {
      name: input.name,
      chars: input.chars,
      findings: findings[i],
      megabytesPerSecond: (input.chars * input.samples.length) / (1024 * 1024) / (total / 1000),
      p50Ms: quantile(input.samples, 0.5)!,
      p99Ms: quantile(input.samples, 0.99)!,
    };
  });
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown CPU',
    calls: ROUNDS * CALLS_PER_ROUND,
    inputs: results,
    targetMs: MASKING_TARGET_MS,
    met: results.every((r) => (r.p50Ms * 64 * 1024) / r.chars <= MASKING_TARGET_MS),
  };
}

/** The result as a markdown section. */
export function formatMaskingBench(result: MaskingBenchResult): string {
  const lines = [
    `## Masking, ${new Date().toISOString()}`,
    '',
    `${result.calls} timed calls per input after ${WARMUP} warm-up calls, all detectors on, default styles; ` +
      `Node ${result.node}, ${result.cpu}.`,
    '',
    '| input | chars | findings | MB/s | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...result.inputs.map((r) =>
      `| ${r.name} | ${r.chars.toLocaleString('en-US')} | ${r.findings} | ${r.megabytesPerSecond.toFixed(1)} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} |`),
    '',
    `Target: ≤ ${result.targetMs} ms per 64 KB at p50. Met: ${result.met ? 'yes' : '**no**'}.`,
  ];
  return lines.join('\n') + '\n';
}
