import type { ElicitResult, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { approvalBinding } from '../approvals/approval-binding.js';
import type { ApprovalDecision, PendingApproval } from '../approvals/approval-types.js';
import { CONTINUE, type PipelineContext, type Stage } from './pipeline-types.js';

/** The rule id recorded for a call let through because protection was paused. */
export const PAUSED_RULE = 'paused';

/** How often a held call with a progress token hears that it is still waiting. */
const KEEP_ALIVE_MS = 10_000;

/**
 * Holds a call the policy wants approved until a person decides (control API, terminal, or the
 * agent's own UI through MCP elicitation), the rule's timeout passes, or the agent withdraws it.
 * While protection is paused it lets the call on instead, recorded as allowed by `paused`.
 */
export const approval: Stage = {
  name: 'approval',
  directions: ['to-server'],
  async run(message, ctx) {
    const verdict = ctx.verdict;
    if (verdict?.action !== 'approve' || !('id' in message) || message.id === undefined) return CONTINUE;
    const { server, client } = ctx.session;
    const params = 'params' in message ? (message.params as { arguments?: unknown; _meta?: { progressToken?: string | number } }) : undefined;
    // Bound to the exact call: "allow for this session" covers these arguments, not the tool.
    const binding = approvalBinding({ server, method: ctx.call.method!, tool: ctx.call.tool, arguments: params?.arguments });
    if (ctx.sessionAllowances.has(binding)) return CONTINUE;
    if (ctx.services.protection.isPaused()) {
      // Not silent: the record shows the call was allowed because protection was paused, not by a rule.
      ctx.verdict = { action: 'allow', reason: `protection is paused; rule ${verdict.ruleId} would have asked`, ruleId: PAUSED_RULE };
      return CONTINUE;
    }

    const { approval: held, resolution } = ctx.services.approvals.hold(
      {
        sessionId: ctx.session.id,
        server,
        method: ctx.call.method!,
        tool: ctx.call.tool,
        client,
        // Shown to a person: masked as the record is.
        arguments: (ctx.audit && 'params' in ctx.audit ? (ctx.audit.params as { arguments?: unknown }).arguments : params?.arguments) ?? {},
        ruleId: verdict.ruleId,
        reason: verdict.reason,
        binding,
      },
      { timeoutMs: (verdict.rule?.timeoutSeconds ?? 120) * 1000, onTimeout: verdict.rule?.onTimeout ?? 'deny', signal: ctx.signal },
    );
    const stopKeepAlive = keepAlive(ctx, message.id, params?._meta?.progressToken, held);
    const stopAsking = askInAgentUi(ctx, message.id, held);
    const result = await resolution;
    stopKeepAlive();
    stopAsking();

    if (result.decision === 'withdrawn') return { action: 'withdrawn' };
    if (!result.allowed) {
      const who = result.channel === 'timeout' ? 'Nobody approved this call in time' : 'A person denied this call';
      return { action: 'deny', reason: result.reason ? `${who}: ${result.reason}` : who, rule: verdict.ruleId };
    }
    // The message forwarded must still be the call the person approved.
    const forwarded = 'params' in message ? (message.params as { arguments?: unknown } | undefined)?.arguments : undefined;
    if (approvalBinding({ server, method: ctx.call.method!, tool: ctx.call.tool, arguments: forwarded }) !== held.binding) {
      return { action: 'deny', reason: 'The call changed after it was approved; it needs a new approval', rule: verdict.ruleId };
    }
    if (result.decision === 'allow-session') ctx.sessionAllowances.add(binding);
    if (result.decision === 'allow-always') {
      ctx.services.allowAlways({ server, method: ctx.call.method!, tool: ctx.call.tool, arguments: params?.arguments });
    }
    return CONTINUE;
  },
};

/** Progress notifications reset the agent's request timeout while a person thinks. */
function keepAlive(ctx: PipelineContext, id: RequestId, token: string | number | undefined, held: PendingApproval): () => void {
  if (token === undefined) return () => {};
  let beat = 0;
  const timer = setInterval(() => {
    const notice: JSONRPCMessage = {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: token, progress: ++beat, message: `Waiting for a person to approve ${held.tool ?? held.method} (rule ${held.ruleId})` },
    };
    ctx.agent.notify(notice, id);
  }, KEEP_ALIVE_MS);
  timer.unref();
  return () => clearInterval(timer);
}

const ELICIT_CHOICES: ApprovalDecision[] = ['allow-once', 'allow-session', 'deny'];

/** Asks in the agent's own UI when its client supports elicitation; any other channel may still answer first. */
function askInAgentUi(ctx: PipelineContext, id: RequestId, held: PendingApproval): () => void {
  if (!ctx.agent.canElicit) return () => {};
  const controller = new AbortController();
  const args = JSON.stringify(held.arguments);
  // The answer comes from whoever uses the agent's client; the signed-in user when there is one.
  const agentUser = `${ctx.session.user ? `${ctx.session.user.name ?? ctx.session.user.id} via ` : ''}agent ${ctx.session.client}`;
  ctx.agent
    .elicit(
      {
        message: `Airlock: allow ${held.tool ?? held.method} on "${held.server}"?\nArguments: ${args.length > 500 ? `${args.slice(0, 500)}…` : args}\nRule ${held.ruleId}: ${held.reason}`,
        requestedSchema: {
          type: 'object',
          properties: {
            decision: { type: 'string', title: 'Decision', enum: ELICIT_CHOICES, enumNames: ['Allow once', 'Allow for this session', 'Deny'] },
            reason: { type: 'string', title: 'Reason (shown to the agent when denied)' },
          },
          required: ['decision'],
        },
      },
      id,
      controller.signal,
    )
    .then((answer: ElicitResult) => {
      const choice = answer.content?.decision;
      if (answer.action === 'accept' && ELICIT_CHOICES.includes(choice as ApprovalDecision)) {
        ctx.services.approvals.decide(held.id, choice as ApprovalDecision, 'elicitation', answer.content?.reason as string | undefined, { by: agentUser, binding: held.binding });
      } else if (answer.action === 'decline') {
        ctx.services.approvals.decide(held.id, 'deny', 'elicitation', 'declined in the agent', { by: agentUser, binding: held.binding });
      }
      // `cancel` (dismissed) leaves the call pending for the other channels.
    })
    .catch(() => {});
  return () => controller.abort();
}
