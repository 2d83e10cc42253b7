import { describe, expect, it } from 'vitest';
import { BUILT_IN_DETECTORS } from '../../../src-gateway/masking/detectors/index.js';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import { assertBoundedBacktracking } from '../../../src-gateway/masking/pattern-safety.js';

describe('pattern safety', () => {
  it.each(BUILT_IN_DETECTORS.map((d) => [d.name, d.pattern]))('the %s pattern repeats no quantified group', (_, pattern) => {
    expect(() => assertBoundedBacktracking(pattern)).not.toThrow();
  });

  it.each(['(a+)+$', '(a|a)*', '(?:\\d{2}-)+', '((ab)*c)*', '(a*){2,}', '(?:x|y){2,5}', '([a-z]+\\.)*com'])('refuses %s', (pattern) => {
    expect(() => assertBoundedBacktracking(pattern)).toThrow(SyntaxError);
  });

  it.each(['EMP-\\d{6}', '(?:EMP|CTR)-\\d{6}', '(?:ab)?c+', '[(+]+\\d', '\\(\\d+\\)', 'a{2}(b)?', '(?<year>\\d{4})-(?:0[1-9]|1[0-2])', '[)]*(a)'])(
    'accepts %s',
    (pattern) => {
      expect(() => assertBoundedBacktracking(pattern)).not.toThrow();
    },
  );

  it('refuses a custom detector whose regex could backtrack without bound, naming it', () => {
    expect(() => createMasker({ custom: [{ name: 'bait', regex: '(a+)+b' }] })).toThrow(/custom detector "bait"/);
  });
});
