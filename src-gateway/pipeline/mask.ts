import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CONTINUE, type PipelineContext, type Stage } from './pipeline-types.js';

/**
 * Masks sensitive values per the policy's masking rules. To the agent: results and errors are
 * masked before they leave. To the server: the call goes on as the agent sent it, but what is
 * recorded (and shown to a person approving it) has its arguments masked.
 */
export const mask: Stage = {
  name: 'mask',
  directions: ['to-server', 'to-agent'],
  run(message, ctx) {
    const target = { server: ctx.session.server, tool: ctx.call.tool, client: ctx.session.client, groups: ctx.session.groups };
    const plan = ctx.services.masking();
    const masker = plan.maskerFor(target, ctx.tokens);
    if (!masker) return CONTINUE;
    if (plan.keepsOriginal(target)) ctx.original = message;

    if (ctx.direction === 'to-server') {
      const params = 'params' in message ? (message.params as { arguments?: unknown } | undefined) : undefined;
      if (ctx.call.kind !== 'request' || params?.arguments === undefined) return CONTINUE;
      const { value, findings } = masker.maskValue(params.arguments, '/params/arguments');
      if (findings.length === 0) return CONTINUE;
      ctx.audit = { ...message, params: { ...params, arguments: value } } as JSONRPCMessage;
      ctx.findings = findings;
      return CONTINUE;
    }

    if ('result' in message) {
      const { value, findings } = masker.maskResult(ctx.call.method, message.result);
      return rewritten(ctx, findings.map((f) => ({ ...f, pointer: `/result${f.pointer}` })), { ...message, result: value as typeof message.result });
    }
    if ('error' in message) {
      const { value, findings } = masker.maskValue(message.error, '/error');
      return rewritten(ctx, findings, { ...message, error: value as typeof message.error });
    }
    const fields = 'method' in message ? SERVER_TEXT[message.method] : undefined;
    if (fields && 'params' in message && message.params) {
      const params = message.params as Record<string, unknown>;
      if (fields === 'all') {
        const { value, findings } = masker.maskValue(params, '/params');
        return rewritten(ctx, findings, { ...message, params: value as typeof message.params });
      }
      const copy = { ...params };
      const findings: NonNullable<PipelineContext['findings']> = [];
      for (const field of fields.filter((name) => name in params)) {
        const masked = masker.maskValue(params[field], `/params/${field}`);
        copy[field] = masked.value;
        findings.push(...masked.findings);
      }
      return rewritten(ctx, findings, { ...message, params: copy } as JSONRPCMessage);
    }
    return CONTINUE;
  },
};

/**
 * Text a server sends the agent outside of results, by method: every string of the params, or
 * the named fields only where the others steer the protocol (progress tokens, request ids).
 */
const SERVER_TEXT: Record<string, 'all' | readonly string[]> = {
  'notifications/message': 'all',
  'notifications/progress': ['message'],
  'notifications/cancelled': ['reason'],
  'sampling/createMessage': ['messages', 'systemPrompt'],
  'elicitation/create': ['message'],
};

function rewritten(ctx: PipelineContext, findings: PipelineContext['findings'] & object, message: JSONRPCMessage) {
  if (findings.length === 0) return CONTINUE;
  ctx.findings = findings;
  return { action: 'continue' as const, message };
}
