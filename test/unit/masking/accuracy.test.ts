import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import type { Finding } from '../../../src-gateway/masking/mask-types.js';
import { CONTRACT_DETECTORS, checkDocument, checkSize, type CorpusDocument } from '../../fixtures/masking/corpus-check.js';
import { formatExample, formatReport, score, type Score } from './accuracy-score.js';

/*
 * Precision and recall of the masking engine on the labelled corpus (test/fixtures/masking/, see its
 * README). Set AIRLOCK_WRITE_ACCURACY=1 to rewrite accuracy-report.md from this run.
 */
const CORPUS = new URL('../../fixtures/masking/corpus.jsonl', import.meta.url);
const REPORT = new URL('../../fixtures/masking/accuracy-report.md', import.meta.url);
const LIMITS = { recall: 0.98, precision: 0.95 };

const docs: CorpusDocument[] = readFileSync(CORPUS, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as CorpusDocument);

let scored: Score | undefined;
/** Runs the engine over the corpus once, prints the table, and writes the report when asked to. */
function result(): Score {
  if (scored !== undefined) return scored;
  const masker = createMasker();
  const started = performance.now();
  scored = score(docs, (doc) => {
    const findings: Finding[] = [];
    masker.maskString(doc.text, '', findings);
    return findings;
  });
  const elapsed = performance.now() - started;
  const chars = docs.reduce((n, doc) => n + doc.text.length, 0);
  const report = formatReport(scored, CONTRACT_DETECTORS, LIMITS);
  const header = `# Masking accuracy\n\n${docs.length} documents, ${chars} characters, ` +
    `${scored.overall.planted} planted values, ${docs.reduce((n, doc) => n + doc.lookalikes.length, 0)} look-alikes ` +
    `(all detectors on, default options).\n\n`;
  console.log(`${header}${report}\nmasked in ${elapsed.toFixed(0)} ms`);
  if (process.env.AIRLOCK_WRITE_ACCURACY === '1') writeFileSync(REPORT, header + report);
  return scored;
}

describe('masking accuracy on the labelled corpus', () => {
  it('the corpus holds at least 500 planted values, 15 of every contract detector, and 500 look-alikes', () => {
    expect(checkSize(docs)).toEqual([]);
  });

  it('every label in the corpus is sound', () => {
    expect(docs.flatMap(checkDocument)).toEqual([]);
  });

  it.each(CONTRACT_DETECTORS)(`%s reaches recall ${LIMITS.recall} and precision ${LIMITS.precision}`, (detector) => {
    const s = result().detectors.find((d) => d.detector === detector);
    expect(s, `no planted ${detector} values and no findings`).toBeDefined();
    if (s === undefined) return;
    const shortfalls = [
      ...(s.recall < LIMITS.recall ? [`recall ${s.recall.toFixed(3)} (${s.found}/${s.planted}) below ${LIMITS.recall}`] : []),
      ...(s.precision < LIMITS.precision
        ? [`precision ${s.precision.toFixed(3)} (${s.falsePositives} false of ${s.findings}) below ${LIMITS.precision}`]
        : []),
    ];
    const examples = [
      ...(s.misses.length > 0 ? [`missed ${s.misses.length}, e.g.:`, ...s.misses.slice(0, 5).map(formatExample)] : []),
      ...(s.falses.length > 0 ? [`false positives ${s.falses.length}, e.g.:`, ...s.falses.slice(0, 5).map(formatExample)] : []),
    ];
    expect(shortfalls, `${detector}: ${shortfalls.join('; ')}\n${examples.join('\n')}`).toEqual([]);
  });

  it('every finding names a detector of the contract', () => {
    const strangers = result().detectors.filter((d) => !(CONTRACT_DETECTORS as readonly string[]).includes(d.detector));
    expect(strangers.map((d) => `${d.detector}: ${d.findings} findings`)).toEqual([]);
  });
});
