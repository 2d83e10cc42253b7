import { describe, expect, it } from 'vitest';
import { argumentSummary } from '../../../src-main/argument-summary.js';

describe('argumentSummary', () => {
  it('lists keys and values on one line, strings quoted', () => {
    expect(argumentSummary({ query: 'SELECT 1', limit: 5, dry: true })).toBe('query: "SELECT 1", limit: 5, dry: true');
  });

  it('says when there are no arguments', () => {
    expect(argumentSummary(undefined)).toBe('no arguments');
    expect(argumentSummary({})).toBe('no arguments');
    expect(argumentSummary([])).toBe('no arguments');
  });

  it('abbreviates nested objects and arrays', () => {
    expect(argumentSummary({ filter: { a: 1 }, ids: [1, 2, 3], one: ['x'], none: {} })).toBe('filter: {…}, ids: [3 items], one: [1 item], none: {}');
  });

  it('keeps to one line whatever the values hold', () => {
    const summary = argumentSummary({ text: 'line one\nline two\r\n\tthree\u2028four', 'k\ney': 1 });
    expect(summary).not.toMatch(/[\n\r\t\u2028]/);
    expect(summary).toBe('text: "line one\\nline two\\r\\n\\tthree\u2028four", k ey: 1'.replace('\u2028', ' '));
  });

  it('cuts a long summary at the limit with an ellipsis', () => {
    const summary = argumentSummary({ text: 'x'.repeat(500) }, 40);
    expect(summary).toHaveLength(40);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('shows only the values given (the masked ones), nothing else', () => {
    expect(argumentSummary({ to: '[email]', body: 'hi [card]' })).toBe('to: "[email]", body: "hi [card]"');
  });
});
