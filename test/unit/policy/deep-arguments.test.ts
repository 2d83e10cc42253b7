import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src-gateway/policy/compile-policy.js';
import { PolicySchema } from '../../../src-gateway/policy/policy-schema.js';
import { nestedText } from '../../fuzz/json-rpc-arbitraries.js';

/** Arguments too deep to encode as JSON text: found by fuzzing (test/fixtures/fuzz-corpus/policy). */
const deepCall = { server: 'shell', method: 'tools/call', tool: 'run', arguments: { command: JSON.parse(nestedText(10_000)) as unknown }, client: 'agent', groups: [] };

describe('a condition on arguments nested too deep to read', () => {
  it('makes a deny rule ask a human instead of throwing', () => {
    const policy = compilePolicy(PolicySchema.parse({ rules: [{ id: 'deny-rm', match: { tool: '*', arguments: [{ pointer: '/command', regex: 'rm' }] }, action: 'deny' }] }));
    expect(policy.evaluate(deepCall).action).toBe('approve');
  });

  it('never allows on an allow rule', () => {
    const policy = compilePolicy(PolicySchema.parse({ defaultAction: 'deny', rules: [{ id: 'allow-safe', match: { tool: '*', arguments: [{ pointer: '', contains: 'safe' }] }, action: 'allow' }] }));
    expect(policy.evaluate(deepCall).action).not.toBe('allow');
  });
});
