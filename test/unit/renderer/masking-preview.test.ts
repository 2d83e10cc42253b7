import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import type { Finding } from '../../../src-gateway/masking/mask-types.js';
import { maskedSpans } from '../../../src-renderer/pages/masking/masked-spans.js';
import { previewInput } from '../../../src-renderer/pages/masking/preview-input.js';

describe('the masking preview', () => {
  it('sends objects and arrays as JSON values and anything else as text', () => {
    expect(previewInput(' {"a": "b"} ')).toEqual({ value: { a: 'b' } });
    expect(previewInput('[1, 2]')).toEqual({ value: [1, 2] });
    expect(previewInput('[INFO] started')).toEqual({ text: '[INFO] started' });
    expect(previewInput('"just a string"')).toEqual({ text: '"just a string"' });
  });

  it('finds each replacement in the masked text the real masker wrote', () => {
    const text = 'Mail jane.doe@example.com or bob@example.org, card 4242 4242 4242 4242, from 10.0.0.1.';
    const findings: Finding[] = [];
    const masked = createMasker().maskString(text, '', findings);
    expect(findings.length).toBeGreaterThanOrEqual(4);
    const spans = maskedSpans(masked, findings);
    expect(spans).toHaveLength(findings.length);
    for (const span of spans) expect(masked.slice(span.start, span.end)).toBe(span.replacement);
  });

  it('marks nothing rather than the wrong text when the masked text is not what the findings predict', () => {
    expect(maskedSpans('something else', [{ detector: 'email', pointer: '', start: 0, end: 5, replacement: '[EMAIL]' }])).toEqual([]);
  });
});
