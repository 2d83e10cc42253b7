import type { CallDescription, CompiledPolicy, Verdict } from './compile-policy.js';
import type { Policy } from './policy-schema.js';

/**
 * How strict a verdict is: deny over approve over allow, and among approvals one that denies when
 * nobody answers over one that allows.
 */
function strictness(verdict: Verdict): number {
  if (verdict.action === 'deny') return 3;
  if (verdict.action === 'allow') return 0;
  return verdict.rule?.onTimeout === 'allow' ? 1 : 2;
}

/**
 * The stricter of the org's verdict and the local one. On a tie the org's stands, unless only its
 * default decided and a local rule matched: then the local rule is the more telling answer.
 */
export function stricterVerdict(org: Verdict, local: Verdict): Verdict {
  const difference = strictness(org) - strictness(local);
  if (difference !== 0) return difference > 0 ? org : local;
  return org.rule === undefined && local.rule !== undefined ? local : org;
}

/**
 * The org's policy and the local one together: each decides a call on its own (first match, else
 * its default) and the stricter verdict applies, so a local rule can tighten the org's policy but
 * never loosen it. `policy` lists the org's rules first, as they are shown.
 */
export function mergeWithOrg(org: CompiledPolicy, local: CompiledPolicy): CompiledPolicy {
  const defaults: Verdict[] = [
    { action: org.policy.defaultAction, reason: '' },
    { action: local.policy.defaultAction, reason: '' },
  ];
  const policy: Policy = {
    ...local.policy,
    rules: [...org.policy.rules, ...local.policy.rules],
    defaultAction: strictness(defaults[0]) >= strictness(defaults[1]) ? org.policy.defaultAction : local.policy.defaultAction,
    // Spooling is the looser mode: it applies only when both allow it.
    auditFailure: org.policy.auditFailure === 'spool' && local.policy.auditFailure === 'spool' ? 'spool' : 'fail-closed',
  };
  // When no org rule matched, the agent is told it was the organisation's default, not its own.
  const orgDefault: Verdict = Object.freeze({
    action: org.policy.defaultAction,
    reason: `no rule matched; the organisation's policy's default is ${org.policy.defaultAction}`,
  });
  return {
    policy,
    evaluate(call: CallDescription) {
      const orgVerdict = org.evaluate(call);
      return stricterVerdict(orgVerdict.rule === undefined ? orgDefault : orgVerdict, local.evaluate(call));
    },
    // Hidden only when one of them denies the tool whatever the arguments.
    mayCall: (call) => org.mayCall(call) && local.mayCall(call),
  };
}
