/**
 * Scores the masking engine's findings against the labelled corpus: precision and recall per detector,
 * the misses and false positives behind them, and which look-alike kinds were masked.
 */
import type { CorpusDocument } from '../../fixtures/masking/corpus-check.js';

export interface FoundSpan {
  detector: string;
  start: number;
  end: number;
}

/** A planted value counts as found when one finding of its detector covers this much of it. */
export const MIN_COVERAGE = 0.8;

export interface Example {
  doc: string;
  /** The value in ⟦ ⟧ with a little text either side, on one line. */
  snippet: string;
  note: string;
}

export interface DetectorScore {
  detector: string;
  planted: number;
  found: number;
  findings: number;
  falsePositives: number;
  recall: number;
  precision: number;
  misses: Example[];
  falses: Example[];
}

export interface Score {
  detectors: DetectorScore[];
  overall: Omit<DetectorScore, 'detector' | 'misses' | 'falses'>;
  /** "detector → look-alike kind" with how many findings landed on one. */
  lookalikeHits: [string, number][];
}

const CONTEXT = 28;

export function snippet(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - CONTEXT), start);
  const value = end - start > 90 ? `${text.slice(start, start + 40)}…${text.slice(end - 40, end)}` : text.slice(start, end);
  const after = text.slice(end, end + CONTEXT);
  return `${start > CONTEXT ? '…' : ''}${before}⟦${value}⟧${after}${end + CONTEXT < text.length ? '…' : ''}`.replace(/\r?\n/g, '⏎');
}

const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);

/** Scores every document's findings; `findingsOf` runs the engine on one document. */
export function score(docs: readonly CorpusDocument[], findingsOf: (doc: CorpusDocument) => FoundSpan[]): Score {
  const byDetector = new Map<string, DetectorScore>();
  const entry = (detector: string): DetectorScore => {
    let s = byDetector.get(detector);
    if (s === undefined) {
      s = { detector, planted: 0, found: 0, findings: 0, falsePositives: 0, recall: 0, precision: 0, misses: [], falses: [] };
      byDetector.set(detector, s);
    }
    return s;
  };
  const hits = new Map<string, number>();

  for (const doc of docs) {
    const findings = findingsOf(doc);
    const used = new Set<FoundSpan>();
    for (const planted of doc.planted) {
      const s = entry(planted.detector);
      s.planted++;
      const length = planted.end - planted.start;
      let best: FoundSpan | undefined;
      for (const f of findings) {
        if (f.detector !== planted.detector || used.has(f)) continue;
        if (best === undefined || overlap(f, planted) > overlap(best, planted)) best = f;
      }
      const covered = best === undefined ? 0 : overlap(best, planted);
      if (best !== undefined && covered >= MIN_COVERAGE * length) {
        used.add(best);
        s.found++;
      } else {
        const others = findings.filter((f) => f.detector !== planted.detector && overlap(f, planted) > 0).map((f) => f.detector);
        const note = covered > 0 ? `best finding covers ${Math.round((100 * covered) / length)}%` :
          others.length > 0 ? `found as ${[...new Set(others)].join(', ')} instead` : 'no finding';
        s.misses.push({ doc: doc.id, snippet: snippet(doc.text, planted.start, planted.end), note });
      }
    }
    for (const f of findings) {
      const s = entry(f.detector);
      s.findings++;
      if (doc.planted.some((p) => p.detector === f.detector && overlap(p, f) > 0)) continue;
      s.falsePositives++;
      const looks = doc.lookalikes.filter((l) => overlap(l, f) > 0).map((l) => l.what);
      const inside = doc.planted.filter((p) => overlap(p, f) > 0).map((p) => `planted ${p.detector}`);
      for (const what of looks) hits.set(`${f.detector} → ${what}`, (hits.get(`${f.detector} → ${what}`) ?? 0) + 1);
      const note = [...new Set([...looks.map((w) => `look-alike ${w}`), ...inside])].join(', ') || 'unlabelled text';
      s.falses.push({ doc: doc.id, snippet: snippet(doc.text, f.start, f.end), note });
    }
  }

  const detectors = [...byDetector.values()];
  for (const s of detectors) {
    s.recall = ratio(s.found, s.planted);
    s.precision = ratio(s.findings - s.falsePositives, s.findings);
  }
  const sum = (key: 'planted' | 'found' | 'findings' | 'falsePositives') => detectors.reduce((n, s) => n + s[key], 0);
  const overall = { planted: sum('planted'), found: sum('found'), findings: sum('findings'), falsePositives: sum('falsePositives'), recall: 0, precision: 0 };
  overall.recall = ratio(overall.found, overall.planted);
  overall.precision = ratio(overall.findings - overall.falsePositives, overall.findings);
  return { detectors, overall, lookalikeHits: [...hits].sort((a, b) => b[1] - a[1]) };
}

const fixed = (n: number) => n.toFixed(3);

/** The score as Markdown: the per-detector table, look-alike hits, and examples of what went wrong. */
export function formatReport(result: Score, order: readonly string[], limits: { recall: number; precision: number }, examples = 5): string {
  const rows = [...result.detectors].sort((a, b) => {
    const ia = order.indexOf(a.detector);
    const ib = order.indexOf(b.detector);
    return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib) || a.detector.localeCompare(b.detector);
  });
  const mark = (s: DetectorScore) => (s.recall >= limits.recall && s.precision >= limits.precision ? '' : ' ✗');
  const lines = [
    `| detector | planted | found | findings | false positives | recall | precision |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    ...rows.map((s) => `| ${s.detector}${mark(s)} | ${s.planted} | ${s.found} | ${s.findings} | ${s.falsePositives} | ${fixed(s.recall)} | ${fixed(s.precision)} |`),
    `| **overall** | ${result.overall.planted} | ${result.overall.found} | ${result.overall.findings} | ${result.overall.falsePositives} | ${fixed(result.overall.recall)} | ${fixed(result.overall.precision)} |`,
    '',
    `Thresholds: recall ≥ ${limits.recall}, precision ≥ ${limits.precision} for every detector; ✗ marks one below.`,
  ];
  if (result.lookalikeHits.length > 0) {
    lines.push('', '## Look-alikes masked', '', '| detector → look-alike kind | findings |', '|---|---:|');
    for (const [what, count] of result.lookalikeHits) lines.push(`| ${what} | ${count} |`);
  }
  const wrong = rows.filter((s) => s.misses.length > 0 || s.falses.length > 0);
  if (wrong.length > 0) lines.push('', `## Misses and false positives (up to ${examples} of each per detector)`);
  for (const s of wrong) {
    lines.push('', `### ${s.detector}`);
    if (s.misses.length > 0) lines.push('', `Missed ${s.misses.length}:`, ...s.misses.slice(0, examples).map(formatExample));
    if (s.falses.length > 0) lines.push('', `False positives ${s.falses.length}:`, ...s.falses.slice(0, examples).map(formatExample));
  }
  return lines.join('\n') + '\n';
}

export const formatExample = (e: Example) => `- \`${e.doc}\` (${e.note}): \`${e.snippet.replace(/`/g, 'ˋ')}\``;
