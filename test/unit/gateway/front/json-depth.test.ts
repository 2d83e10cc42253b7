import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../../../src-gateway/front/json-depth.js';
import { nestedText } from '../../../fuzz/json-rpc-arbitraries.js';

describe('nestsDeeperThan', () => {
  it.each([
    ['a scalar', 1, 0, false],
    ['an empty array at the limit', [], 1, false],
    ['an array one past the limit', [[]], 1, true],
    ['an object in an array in an object', { a: [{ b: 1 }] }, 3, false],
    ['the same, one level under it', { a: [{ b: 1 }] }, 2, true],
  ])('measures %s', (_, value, limit, deeper) => {
    expect(nestsDeeperThan(value, limit)).toBe(deeper);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(JSON.parse(nestedText(100_000)))).toBe(true);
    expect(nestsDeeperThan(JSON.parse(nestedText(MAX_JSON_DEPTH)))).toBe(false);
    expect(nestsDeeperThan(JSON.parse(nestedText(MAX_JSON_DEPTH + 1)))).toBe(true);
  });

  it('finds the one deep branch among many shallow ones', () => {
    const wide = Array.from({ length: 1000 }, () => ({ a: [1, 2, 3] }));
    expect(nestsDeeperThan([...wide, JSON.parse(nestedText(MAX_JSON_DEPTH))])).toBe(true);
  });
});
