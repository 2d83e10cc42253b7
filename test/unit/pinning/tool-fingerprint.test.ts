import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src-gateway/pinning/tool-fingerprint.js';

const schema = { type: 'object', properties: { sql: { type: 'string' }, limit: { type: 'number' } }, required: ['sql'] };

describe('fingerprint', () => {
  it('is canonical JSON of exactly name, description and input schema, with its sha256', () => {
    const { hash, definition } = fingerprint({ name: 'run_sql', description: 'Runs SQL', inputSchema: schema });
    expect(definition).toBe(
      '{"description":"Runs SQL","inputSchema":{"properties":{"limit":{"type":"number"},"sql":{"type":"string"}},"required":["sql"],"type":"object"},"name":"run_sql"}',
    );
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order of keys at any depth', () => {
    const reordered = { required: ['sql'], properties: { limit: { type: 'number' }, sql: { type: 'string' } }, type: 'object' };
    expect(fingerprint({ inputSchema: reordered, description: 'Runs SQL', name: 'run_sql' })).toEqual(
      fingerprint({ name: 'run_sql', description: 'Runs SQL', inputSchema: schema }),
    );
  });

  it('keeps the order of arrays, which can carry meaning', () => {
    const a = fingerprint({ name: 't', inputSchema: { type: 'object', required: ['a', 'b'] } });
    const b = fingerprint({ name: 't', inputSchema: { type: 'object', required: ['b', 'a'] } });
    expect(a.hash).not.toBe(b.hash);
  });

  it('ignores title, annotations and output schema', () => {
    const base = { name: 'run_sql', description: 'Runs SQL', inputSchema: schema };
    const decorated = { ...base, title: 'Run SQL', annotations: { readOnlyHint: true }, outputSchema: { type: 'object' } };
    expect(fingerprint(decorated)).toEqual(fingerprint(base));
  });

  it('tells a missing description from an empty one', () => {
    expect(fingerprint({ name: 't' }).hash).not.toBe(fingerprint({ name: 't', description: '' }).hash);
  });

  it('hashes a __proto__ key in a schema like any other key', () => {
    const hostile = JSON.parse('{"type":"object","__proto__":{"polluted":true}}') as unknown;
    const { definition } = fingerprint({ name: 't', inputSchema: hostile });
    expect(definition).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fingerprint({ name: 't', inputSchema: { type: 'object' } }).definition).not.toBe(definition);
  });
});
