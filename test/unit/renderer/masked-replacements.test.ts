import { describe, expect, it } from 'vitest';
import { createMasker, DETECTOR_NAMES } from '../../../src-gateway/masking/mask-engine.js';
import type { Finding, ReplacementStyle } from '../../../src-gateway/masking/mask-types.js';
import { maskedSpans } from '../../../src-renderer/components/masked-replacements.js';

const SAMPLE = [
  'Contact ana.lopez@example.com or +44 20 7946 0958 about card 4242 4242 4242 4242.',
  'IBAN GB82 WEST 1234 5698 7654 32, born 1984-03-12, SSN 123-45-6789.',
  'key AKIAIOSFODNN7EXAMPLE and ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 from 10.1.2.3',
  'db postgres://admin:hunter22@db.internal:5432/app, password=correct-horse-battery',
].join('\n');

/** Where each finding's replacement sits in the masked text (findings carry offsets in the original). */
function replacedSpans(findings: Finding[]): Array<[number, number]> {
  let shift = 0;
  return [...findings]
    .sort((a, b) => a.start - b.start)
    .map((finding) => {
      const start = finding.start + shift;
      shift += finding.replacement.length - (finding.end - finding.start);
      return [start, start + finding.replacement.length] as [number, number];
    });
}

function maskWith(style: ReplacementStyle | undefined): { masked: string; findings: Finding[] } {
  const styles = style ? Object.fromEntries(DETECTOR_NAMES.map((name) => [name, style])) : undefined;
  const findings: Finding[] = [];
  const masked = createMasker(styles ? { styles } : {}).maskString(SAMPLE, '', findings);
  return { masked, findings };
}

describe('the JSON viewer finding masked replacements in recorded text', () => {
  it.each([['default styles', undefined], ['full', 'full'], ['partial', 'partial'], ['token', 'token']] as const)(
    'finds exactly what the masking engine wrote, with %s',
    (_name, style) => {
      const { masked, findings } = maskWith(style);
      expect(findings.length).toBeGreaterThan(8);
      const found = maskedSpans(masked).map(([start, end]) => masked.slice(start, end));
      expect(found).toEqual(replacedSpans(findings).map(([start, end]) => masked.slice(start, end)));
    },
  );

  it('finds labels with a note and the too-deep marker', () => {
    const text = 'a [REDACTED: api key] and [TOO_DEEP: nested more than 64 levels, not scanned] and <customer-id_12>';
    expect(maskedSpans(text).map(([start, end]) => text.slice(start, end))).toEqual([
      '[REDACTED: api key]',
      '[TOO_DEEP: nested more than 64 levels, not scanned]',
      '<customer-id_12>',
    ]);
  });

  it.each(['**bold** and *emphasis*', '2 * 3 * 4', 'a [x] checkbox, [Link](url) and [1]', 'C++ <b>tag</b> <T>', 'glob **/*.ts', 'a rule: ***'])(
    'leaves ordinary text alone: %s',
    (text) => {
      expect(maskedSpans(text)).toEqual([]);
    },
  );
});
