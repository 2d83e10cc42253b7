import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../../../src-gateway/clients/line-diff.js';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n', 'x', 'y')).toBe('');
  });

  it('shows changed lines with three lines of context and hunk ranges', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n') + '\n';
    const after = before.replace('l10\n', 'l10\nnew\n');
    expect(unifiedDiff(before, after, 'a', 'b')).toBe('--- a\n+++ b\n@@ -9,6 +9,7 @@\n l8\n l9\n l10\n+new\n l11\n l12\n l13\n');
  });

  it('diffs a new file against nothing', () => {
    expect(unifiedDiff('', '{\n}\n', 'a', 'b')).toBe('--- a\n+++ b\n@@ -0,0 +1,2 @@\n+{\n+}\n');
  });
});
