import type { AirlockApi } from '../../api/airlock-api.js';
import type { MessageView } from '../../../src-gateway/control/contract.js';
import type { RuleDraft } from './rule-draft.js';

/** The longest `contains` suggested; a prefix of a long argument still matches calls like it. */
const MAX_SUGGESTION = 80;

function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The first string among a call's arguments (depth first, in document order) that was not masked
 * when recorded, as a `contains` condition: a masked value (`[EMAIL]`) would never match a real call.
 * `masked` holds the pointers, relative to the arguments, of values the recording replaced.
 */
export function suggestCondition(args: unknown, masked: readonly string[]): { pointer: string; value: string } | undefined {
  const isMasked = (pointer: string) => masked.some((m) => m === pointer || m.startsWith(`${pointer}/`));
  const stack: Array<{ value: unknown; pointer: string }> = [{ value: args, pointer: '' }];
  while (stack.length > 0) {
    const { value, pointer } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.trim() && !isMasked(pointer)) return { pointer, value: value.slice(0, MAX_SUGGESTION) };
    } else if (value && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i][1], pointer: `${pointer}/${escapePointerSegment(entries[i][0])}` });
      }
    }
  }
  return undefined;
}

/** Where a recorded call's arguments sit in its JSON-RPC body. */
const ARGUMENTS_POINTER = '/params/arguments';

function argumentsOf(message: MessageView): unknown {
  const body = message.body as { params?: { arguments?: unknown } } | null;
  return body && typeof body === 'object' ? body.params?.arguments : undefined;
}

export interface CallPrefill {
  draft: Partial<RuleDraft>;
  /** The call as recorded, to show beside the form. */
  message: MessageView;
  server: string;
}

/**
 * Reads a recorded call (from History's "Block calls like this") and turns it into a draft deny rule:
 * its server and tool, and a condition on its first unmasked string argument.
 * @throws ApiError when the session or message cannot be read, Error when the message is no call.
 */
export async function loadCallPrefill(api: AirlockApi, sessionId: string, messageId: number): Promise<CallPrefill> {
  const [session, page] = await Promise.all([
    api.call('getSession', { params: { id: sessionId } }),
    // `after` is exclusive, so this page starts at the message itself.
    api.call('listMessages', { params: { id: sessionId }, query: { after: messageId - 1, limit: 1 } }),
  ]);
  const message = page.items[0];
  if (!message || message.id !== messageId) throw new Error(`Message ${messageId} is not in session ${sessionId}; open the call from History again.`);
  if (!message.tool) throw new Error(`Message ${messageId} is a ${message.method ?? message.kind}, not a tool call; rules from History are made for tool calls.`);
  const masked = message.masks
    .flatMap((mask) => mask.pointers)
    .filter((pointer) => pointer.startsWith(ARGUMENTS_POINTER))
    .map((pointer) => pointer.slice(ARGUMENTS_POINTER.length));
  const condition = suggestCondition(argumentsOf(message), masked);
  return {
    message,
    server: session.server,
    draft: {
      action: 'deny',
      server: session.server,
      tool: message.tool,
      test: 'contains',
      pointer: condition?.pointer ?? '',
      value: condition?.value ?? '',
    },
  };
}

/**
 * The `?session=<id>&from=<messageId>` of a "Block calls like this" link: nothing when the page was
 * opened without one, a problem when the link is incomplete.
 */
export function prefillTarget(search: string): { sessionId: string; messageId: number } | { problem: string } | undefined {
  const params = new URLSearchParams(search);
  const from = params.get('from');
  if (from === null) return undefined;
  const sessionId = params.get('session');
  const messageId = Number(from);
  if (!sessionId || !Number.isSafeInteger(messageId) || messageId < 1) {
    return { problem: 'This link should read /policies?session=<session id>&from=<message id>; open the call from History again.' };
  }
  return { sessionId, messageId };
}
