import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskingCase, policyCase, runMaskingCase, runPolicyCase, type MaskingCase, type PolicyCase } from '../../fuzz/engine-targets.js';
import { readCorpus } from '../../fuzz/fuzz-corpus.js';

/** Generated cases per engine in `npm test`; `npm run fuzz` runs far more. */
const RUNS = 2000;
/** Heap growth over a whole run that still counts as bounded (the engines keep no state per call). */
const HEAP_GROWTH_LIMIT_MIB = 64;

function heapMiB(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('the policy matcher and the masking engine under adversarial input', () => {
  it('replay every seed of the corpus without throwing', () => {
    for (const entry of readCorpus<PolicyCase>('policy')) expect(() => runPolicyCase(entry.case), entry.name).not.toThrow();
    for (const entry of readCorpus<MaskingCase>('masking')) expect(() => runMaskingCase(entry.case), entry.name).not.toThrow();
  });

  it(`validate or compile, then decide, ${RUNS} generated policies and their calls`, () => {
    let valid = 0;
    const before = heapMiB();
    fc.assert(fc.property(policyCase, (c) => void (valid += Number(runPolicyCase(c).valid))), { numRuns: RUNS });
    // Without valid policies the matcher itself would go untested.
    expect(valid).toBeGreaterThan(RUNS / 10);
    expect(heapMiB() - before).toBeLessThan(HEAP_GROWTH_LIMIT_MIB);
  });

  it(`mask ${RUNS} generated texts and results, encodable whatever their nesting`, () => {
    const before = heapMiB();
    fc.assert(fc.property(maskingCase, (c) => void runMaskingCase(c)), { numRuns: RUNS });
    expect(heapMiB() - before).toBeLessThan(HEAP_GROWTH_LIMIT_MIB);
  });
});
