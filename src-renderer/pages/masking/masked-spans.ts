import type { MaskFindingView } from '../../../src-gateway/control/contract.js';

/** Findings of a plain text, in order, without overlaps (the masker replaces each span once). */
export function textSpans(findings: readonly MaskFindingView[]): MaskFindingView[] {
  const sorted = findings.filter((f) => f.pointer === '' && f.end > f.start).sort((a, b) => a.start - b.start || b.end - a.end);
  const spans: MaskFindingView[] = [];
  for (const finding of sorted) if (!spans.length || finding.start >= spans[spans.length - 1].end) spans.push(finding);
  return spans;
}

/**
 * Where each replacement sits in the masked text: the findings' offsets shifted by the length the
 * replacements before them added or removed. Empty if the masked text is not what that predicts.
 */
export function maskedSpans(masked: string, findings: readonly MaskFindingView[]): MaskFindingView[] {
  let shift = 0;
  const spans: MaskFindingView[] = [];
  for (const finding of textSpans(findings)) {
    const start = finding.start + shift;
    const end = start + finding.replacement.length;
    if (masked.slice(start, end) !== finding.replacement) return [];
    spans.push({ ...finding, start, end });
    shift += finding.replacement.length - (finding.end - finding.start);
  }
  return spans;
}
