import { describe, expect, it } from 'vitest';
import { compilePolicy, type CallDescription } from '../../../src-gateway/policy/compile-policy.js';
import { mergeWithOrg } from '../../../src-gateway/policy/org-merge.js';
import { PolicySchema } from '../../../src-gateway/policy/policy-schema.js';

const policyOf = (rules: unknown[], defaultAction: 'allow' | 'deny' = 'allow') => compilePolicy(PolicySchema.parse({ rules, defaultAction }));

const call = (overrides: Partial<CallDescription> = {}): CallDescription => ({
  server: 'db',
  method: 'tools/call',
  tool: 'run_sql',
  arguments: {},
  client: 'local',
  groups: [],
  ...overrides,
});

const ruleFor = (id: string, action: string, extra: Record<string, unknown> = {}) => ({ id, match: { server: 'db', tool: 'run_sql' }, action, ...extra });

describe('org policy merged with the local one', () => {
  it.each([
    ['org allow + local deny → deny (a local rule tightens)', 'allow', 'deny', 'deny', 'local-r'],
    ['org deny + local allow → deny (a local rule never loosens)', 'deny', 'allow', 'deny', 'org-r'],
    ['org approve + local allow → approve', 'approve', 'allow', 'approve', 'org-r'],
    ['org allow + local approve → approve', 'allow', 'approve', 'approve', 'local-r'],
    ['org deny + local approve → deny', 'deny', 'approve', 'deny', 'org-r'],
    ['org allow + local allow → allow, the org rule named', 'allow', 'allow', 'allow', 'org-r'],
    ['both deny → the org rule named', 'deny', 'deny', 'deny', 'org-r'],
  ])('%s', (_name, orgAction, localAction, action, ruleId) => {
    const merged = mergeWithOrg(policyOf([ruleFor('org-r', orgAction)]), policyOf([ruleFor('local-r', localAction)]));
    const verdict = merged.evaluate(call());
    expect(verdict.action).toBe(action);
    expect(verdict.rule?.id).toBe(ruleId);
  });

  it("applies the org's default when no org rule matches, and it cannot be loosened locally", () => {
    const merged = mergeWithOrg(policyOf([], 'deny'), policyOf([ruleFor('local-r', 'allow')]));
    const verdict = merged.evaluate(call());
    expect(verdict).toMatchObject({ action: 'deny', reason: "no rule matched; the organisation's policy's default is deny" });
    expect(verdict.rule).toBeUndefined();
  });

  it('names the local rule when it agrees with the org default', () => {
    const merged = mergeWithOrg(policyOf([]), policyOf([ruleFor('local-r', 'allow')]));
    expect(merged.evaluate(call()).rule?.id).toBe('local-r');
  });

  it('keeps first-match order within the org policy', () => {
    const org = policyOf([ruleFor('org-allow', 'allow'), ruleFor('org-deny', 'deny')]);
    expect(mergeWithOrg(org, policyOf([])).evaluate(call()).rule?.id).toBe('org-allow');
  });

  it("keeps the deny rule's reason for the agent", () => {
    const merged = mergeWithOrg(policyOf([ruleFor('org-r', 'deny', { reason: 'Production SQL is off limits' })]), policyOf([]));
    expect(merged.evaluate(call()).reason).toBe('Production SQL is off limits');
  });

  it('prefers an approval that denies on timeout over one that allows', () => {
    const org = policyOf([ruleFor('org-r', 'approve', { onTimeout: 'allow' })]);
    const local = policyOf([ruleFor('local-r', 'approve')]);
    expect(mergeWithOrg(org, local).evaluate(call()).rule?.id).toBe('local-r');
  });

  describe('group-scoped org rules', () => {
    const org = policyOf([{ id: 'contractors-no-sql', match: { server: 'db', group: 'contractors' }, action: 'deny' }]);
    const local = policyOf([ruleFor('local-r', 'allow')]);

    it('deny a caller in the group', () => {
      expect(mergeWithOrg(org, local).evaluate(call({ groups: ['staff', 'contractors'] }))).toMatchObject({ action: 'deny', rule: { id: 'contractors-no-sql' } });
    });

    it('leave a caller outside the group to the rest', () => {
      expect(mergeWithOrg(org, local).evaluate(call({ groups: ['staff'] }))).toMatchObject({ action: 'allow', rule: { id: 'local-r' } });
    });
  });

  it('hides a tool from tools/list when either side denies it whatever the arguments', () => {
    const who = { server: 'db', tool: 'run_sql', client: 'local', groups: [] };
    expect(mergeWithOrg(policyOf([ruleFor('org-r', 'deny')]), policyOf([])).mayCall(who)).toBe(false);
    expect(mergeWithOrg(policyOf([]), policyOf([ruleFor('local-r', 'deny')])).mayCall(who)).toBe(false);
    expect(mergeWithOrg(policyOf([ruleFor('org-r', 'approve')]), policyOf([])).mayCall(who)).toBe(true);
  });

  it('lists the org rules first and reports the stricter default', () => {
    const merged = mergeWithOrg(policyOf([ruleFor('org-r', 'allow')], 'deny'), policyOf([ruleFor('local-r', 'deny')]));
    expect(merged.policy.rules.map((rule) => rule.id)).toEqual(['org-r', 'local-r']);
    expect(merged.policy.defaultAction).toBe('deny');
  });
});
