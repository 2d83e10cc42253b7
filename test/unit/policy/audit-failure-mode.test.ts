import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../../../src-gateway/policy/compile-policy.js';
import { mergeWithOrg } from '../../../src-gateway/policy/org-merge.js';
import { PolicySchema } from '../../../src-gateway/policy/policy-schema.js';

const compiled = (auditFailure?: string) => compilePolicy(PolicySchema.parse({ rules: [], ...(auditFailure ? { auditFailure } : {}) }));

describe('the audit failure mode of a policy', () => {
  it('is fail-closed unless the policy says spool', () => {
    expect(compiled().policy.auditFailure).toBe('fail-closed');
    expect(compiled('spool').policy.auditFailure).toBe('spool');
    expect(() => compiled('fail-open')).toThrow();
  });

  it('spools under an org policy only when both the org and the local policy say spool', () => {
    const mode = (org?: string, local?: string) => mergeWithOrg(compiled(org), compiled(local)).policy.auditFailure;
    expect(mode('spool', 'spool')).toBe('spool');
    expect(mode('spool', undefined)).toBe('fail-closed');
    expect(mode(undefined, 'spool')).toBe('fail-closed');
    expect(mode('fail-closed', 'fail-closed')).toBe('fail-closed');
  });
});
