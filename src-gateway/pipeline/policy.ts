import { CONTINUE, type Stage } from './pipeline-types.js';

/** Lifecycle requests stay outside policy, so even a deny-everything policy leaves a usable session. */
const LIFECYCLE = new Set(['initialize', 'ping']);

/**
 * Decides every request from the agent by the first matching rule: `deny` stops it here with the
 * rule's reason; `approve` leaves it to the approval stage; `allow` lets it on.
 */
export const policy: Stage = {
  name: 'policy',
  directions: ['to-server'],
  run(message, ctx) {
    const { kind, method, tool } = ctx.call;
    if (kind !== 'request' || method === undefined || LIFECYCLE.has(method)) return CONTINUE;
    const params = 'params' in message ? (message.params as { arguments?: unknown } | undefined) : undefined;
    const verdict = ctx.services.policy().evaluate({
      server: ctx.session.server,
      method,
      tool,
      arguments: params?.arguments,
      client: ctx.session.client,
      groups: ctx.session.groups,
    });
    ctx.verdict = { ...verdict, ruleId: verdict.rule?.id ?? 'default' };
    if (verdict.action === 'deny') return { action: 'deny', reason: verdict.reason, rule: ctx.verdict.ruleId };
    return CONTINUE;
  },
};
