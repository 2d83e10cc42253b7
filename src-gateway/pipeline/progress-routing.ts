import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { MessageKind } from '../store/message-log.js';
import type { OpenCall } from './open-calls.js';

/** The progress token an agent request asks for (`params._meta.progressToken`), if any. */
export function requestedProgressToken(message: JSONRPCMessage): string | number | undefined {
  if (!('params' in message) || typeof message.params !== 'object' || message.params === null) return undefined;
  return tokenOrUndefined((message.params as { _meta?: { progressToken?: unknown } })._meta?.progressToken);
}

/** The token a `notifications/progress` from the server reports on; undefined for any other message. */
export function reportedProgressToken(message: JSONRPCMessage): string | number | undefined {
  if (!('method' in message) || message.method !== 'notifications/progress') return undefined;
  return tokenOrUndefined((message.params as { progressToken?: unknown } | undefined)?.progressToken);
}

/**
 * Which agent request a server notification or request belongs to, so it travels on that
 * request's stream: progress by its token, anything else to the newest open request. With no
 * open request (or for an answer) it goes to the agent's standalone stream.
 */
export function relatedRequest(message: JSONRPCMessage, kind: MessageKind, open: Iterable<OpenCall>): RequestId | undefined {
  if (kind === 'response' || kind === 'error') return undefined;
  const token = reportedProgressToken(message);
  let newest: OpenCall | undefined;
  for (const call of open) {
    if (token !== undefined && call.progressToken === token) return call.id;
    newest = call;
  }
  return newest?.id;
}

function tokenOrUndefined(token: unknown): string | number | undefined {
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}
