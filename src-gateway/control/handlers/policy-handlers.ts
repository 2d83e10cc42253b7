import { join } from 'node:path';
import { schemaProblems, validatePolicyText } from '../../policy/load-policy.js';
import { insertLocalRule, LOCAL_RULES_FILE, removeLocalRule } from '../../policy/local-rules.js';
import type { SourcedRule } from '../../policy/policy-store.js';
import { RuleSchema, type Rule } from '../../policy/policy-schema.js';
import type { RuleView } from '../contract.js';
import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { fail, ok } from '../control-handler.js';

/**
 * A local rule is a few hundred bytes; the limit keeps a pasted blob out of the file that is read
 * at every reload (the request body itself may be megabytes, for masking previews).
 */
const MAX_LOCAL_RULE_CHARS = 64 * 1024;

/** A rule in force, as the tray window lists it: its `match` as written, and where it comes from. */
function ruleView({ rule, source }: SourcedRule): RuleView {
  return {
    id: rule.id,
    source,
    action: rule.action,
    ...(rule.description === undefined ? {} : { description: rule.description }),
    ...(rule.reason === undefined ? {} : { reason: rule.reason }),
    match: { ...rule.match },
    ...(rule.timeoutSeconds === undefined ? {} : { timeoutSeconds: rule.timeoutSeconds }),
    ...(rule.onTimeout === undefined ? {} : { onTimeout: rule.onTimeout }),
  };
}

/**
 * The policy in force with each rule's source; what it decides about a call; a draft checked without
 * applying it; and the local rules a person adds and removes here, which decide before all others.
 */
export function policyHandlers({ policy, dataDir, logger }: ControlDeps) {
  const localFile = join(dataDir, LOCAL_RULES_FILE);

  /** Where a rule that cannot be changed here is edited instead. */
  function whereToEdit({ rule, source }: SourcedRule): string {
    if (source === 'org') return `rule "${rule.id}" comes from your organisation's policy bundle; only the org's hub can change it`;
    if (source === 'file') {
      return `rule "${rule.id}" comes from the policy file ${policy.describe().source}; edit it there (the gateway reloads the file when it is saved)`;
    }
    return (
      `rule "${rule.id}" is part of Airlock's built-in default policy; to change it, write your own policy file and set "policy" ` +
      'in the config (or start the gateway with --policy FILE), or add a local rule that decides such calls first'
    );
  }

  /** The local rules file exists but does not validate: say so, and leave it for the person to fix. */
  function brokenLocalFile(error: unknown) {
    logger.error('local rules not changed', error);
    return fail('conflict', `the local rules cannot be changed until their file is fixed or removed: ${(error as Error).message}`);
  }

  return {
    policyStatus: () =>
      ok({
        status: policy.describe(),
        rules: policy.rules().map(ruleView),
        defaultAction: policy.current().policy.defaultAction,
      }),

    checkPolicy: ({ body }) => {
      const verdict = policy.current().evaluate(body);
      return ok({ action: verdict.action, rule: verdict.rule?.id ?? 'default', reason: verdict.reason });
    },

    validatePolicy: ({ body }) => {
      const result = validatePolicyText(body.text, body.format);
      if (result.ok) return ok({ valid: true, ruleCount: result.policy.rules.length, errors: [] });
      return ok({ valid: false, ruleCount: 0, errors: result.problems });
    },

    addLocalRule: ({ body }) => {
      const size = JSON.stringify(body.rule).length;
      if (size > MAX_LOCAL_RULE_CHARS) {
        return fail('invalid', `body.rule is ${Math.ceil(size / 1024)} KiB of JSON; a local rule may be at most ${MAX_LOCAL_RULE_CHARS / 1024} KiB`);
      }
      const parsed = RuleSchema.safeParse(body.rule);
      if (!parsed.success) {
        return fail('invalid', schemaProblems(parsed.error.issues).map(({ path, message }) => `${['body.rule', path].filter(Boolean).join('.')}: ${message}`).join('; '));
      }
      const rule: Rule = parsed.data;
      const taken = policy.rules().find((existing) => existing.rule.id === rule.id);
      if (taken) {
        const where = { org: "in the organisation's policy bundle", local: 'among the local rules', file: `in the policy file ${policy.describe().source}`, default: "in Airlock's built-in default policy" }[taken.source];
        return fail('conflict', `there is already a rule "${rule.id}" ${where}; give the new rule another id`);
      }
      try {
        if (!insertLocalRule(dataDir, rule)) return fail('conflict', `there is already a rule "${rule.id}" in ${localFile}; give the new rule another id`);
      } catch (error) {
        return brokenLocalFile(error);
      }
      policy.reload();
      return ok(ruleView({ rule, source: 'local' }));
    },

    removeLocalRule: ({ params: { id } }) => {
      const inForce = policy.rules().filter((sourced) => sourced.rule.id === id);
      if (inForce.length > 0 && !inForce.some((sourced) => sourced.source === 'local')) return fail('read-only', whereToEdit(inForce[0]));
      let removed: boolean;
      try {
        removed = removeLocalRule(dataDir, id);
      } catch (error) {
        return brokenLocalFile(error);
      }
      if (!removed) return fail('not-found', `there is no rule "${id}" (GET /control/policy lists the rules in force)`);
      policy.reload();
      return ok({ id });
    },
  } satisfies Partial<ControlHandlers>;
}
