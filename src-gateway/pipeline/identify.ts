import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CONTINUE, type CallInfo, type PipelineContext, type Stage } from './pipeline-types.js';

/**
 * Names what a message is: its kind, id, method and the tool, resource or prompt it is about.
 * A response takes its method and tool from the request it answers. The session (with the
 * client its token belongs to) was already established by the front.
 */
export const identify: Stage = {
  name: 'identify',
  directions: ['to-server', 'to-agent'],
  run(message, ctx) {
    ctx.call = describe(message, ctx);
    return CONTINUE;
  },
};

export function describe(message: JSONRPCMessage, ctx: Pick<PipelineContext, 'pendingRequest'>): CallInfo {
  const rpcId = 'id' in message && message.id !== undefined ? JSON.stringify(message.id) : undefined;
  if ('method' in message) {
    return {
      kind: rpcId === undefined ? 'notification' : 'request',
      rpcId,
      method: message.method,
      tool: subjectOf(message.method, message.params),
    };
  }
  const request = rpcId === undefined ? undefined : ctx.pendingRequest(rpcId);
  return {
    kind: 'error' in message ? 'error' : 'response',
    rpcId,
    method: request?.method,
    tool: request?.tool,
    requestStartedAt: request?.startedAt,
  };
}

function subjectOf(method: string, params: unknown): string | undefined {
  if (typeof params !== 'object' || params === null) return undefined;
  const p = params as Record<string, unknown>;
  const subject = method === 'resources/read' || method === 'resources/subscribe' ? p.uri : p.name;
  if (method === 'tools/call' || method === 'prompts/get' || method.startsWith('resources/')) {
    return typeof subject === 'string' ? subject : undefined;
  }
  return undefined;
}
