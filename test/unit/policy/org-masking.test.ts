import { describe, expect, it } from 'vitest';
import { TokenVault } from '../../../src-gateway/masking/token-vault.js';
import { compileMaskingPlan } from '../../../src-gateway/policy/masking-plan.js';
import { MaskingPolicySchema } from '../../../src-gateway/policy/masking-policy-schema.js';

const masking = (input: unknown) => MaskingPolicySchema.parse(input);
const target = { server: 'crm', tool: 'lookup', client: 'local', groups: [] };
const TEXT = 'write to ada@example.com from 10.1.2.3';

const maskedBy = (plan: ReturnType<typeof compileMaskingPlan>) => plan.maskerFor(target, new TokenVault())?.maskString(TEXT) ?? TEXT;

describe('masking the org enforces', () => {
  it('runs mandatory detectors when local masking is turned off', () => {
    const plan = compileMaskingPlan(masking({ enabled: false }), { masking: masking({ enabled: false }), mandatory: ['email'] });
    expect(plan.detectorsFor(target)).toEqual(['email']);
    expect(maskedBy(plan)).toBe('write to <email_1> from 10.1.2.3');
  });

  it('runs mandatory detectors that a local rule disables', () => {
    const local = masking({ rules: [{ match: { server: 'crm' }, disable: ['email'] }] });
    const plan = compileMaskingPlan(local, { masking: masking({ enabled: false }), mandatory: ['email'] });
    expect(plan.detectorsFor(target)).toContain('email');
  });

  it("cannot turn local masking off with the bundle's enabled: false", () => {
    const plan = compileMaskingPlan(masking({ rules: [{ detectors: ['ipv4'] }] }), { masking: masking({ enabled: false }), mandatory: [] });
    expect(plan.detectorsFor(target)).toEqual(['ipv4']);
    expect(maskedBy(plan)).toContain('[IPV4]');
  });

  it("adds the detectors the org's masking rules turn on to the local ones", () => {
    const local = masking({ rules: [{ detectors: ['ipv4'] }] });
    const org = masking({ rules: [{ match: { server: 'crm' }, detectors: ['email'] }] });
    expect(compileMaskingPlan(local, { masking: org, mandatory: [] }).detectorsFor(target).sort()).toEqual(['email', 'ipv4']);
  });

  it("uses the org's style for a detector over the local one", () => {
    const local = masking({ rules: [{ detectors: ['email'], styles: { email: 'partial' } }] });
    const org = masking({ rules: [{ detectors: ['email'], styles: { email: 'full' } }] });
    expect(maskedBy(compileMaskingPlan(local, { masking: org, mandatory: [] }))).toBe('write to [EMAIL] from 10.1.2.3');
  });

  it("runs the org's custom detector when it is mandatory, and it wins a name clash", () => {
    const local = masking({ enabled: false, custom: [{ name: 'ticket', regex: 'NEVER' }] });
    const org = masking({ enabled: false, custom: [{ name: 'ticket', regex: 'ada@', label: 'TICKET' }] });
    const plan = compileMaskingPlan(local, { masking: org, mandatory: ['ticket'] });
    expect(plan.custom.map((detector) => detector.regex)).toEqual(['ada@']);
    expect(maskedBy(plan)).toContain('[TICKET]');
  });

  it('masks as before without an org', () => {
    expect(compileMaskingPlan(masking({ enabled: false })).maskerFor(target, new TokenVault())).toBeUndefined();
    expect(compileMaskingPlan(masking({ rules: [{ detectors: ['email'] }] })).detectorsFor(target)).toEqual(['email']);
  });
});
