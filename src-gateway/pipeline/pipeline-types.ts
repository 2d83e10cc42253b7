import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Direction, MessageKind } from '../store/message-log.js';

/** What a stage decides about a message. A stage that stops a message says why, and which rule. */
export type Decision = { action: 'continue' } | { action: 'deny'; reason: string; rule?: string };

export const CONTINUE: Decision = Object.freeze({ action: 'continue' });

/** What the gateway knows about the call a message belongs to; filled in by `identify`. */
export interface CallInfo {
  kind: MessageKind;
  /** JSON-encoded JSON-RPC id, so that 1 and "1" stay distinct. */
  rpcId?: string;
  method?: string;
  /** The tool name of tools/call, the uri of resources/read, the prompt name of prompts/get. */
  tool?: string;
  /** When the request this message answers was recorded (responses only). */
  requestStartedAt?: number;
}

/** A request travelling through the gateway and not yet answered. */
export interface PendingRequest {
  method: string;
  tool?: string;
  startedAt: number;
  progressToken?: string | number;
}

export interface SessionIdentity {
  id: string;
  server: string;
  client: string;
}

export interface PipelineContext {
  readonly session: SessionIdentity;
  readonly direction: Direction;
  readonly now: () => number;
  /** The still-open request with this JSON-encoded id, sent the other way. */
  readonly pendingRequest: (rpcId: string) => PendingRequest | undefined;
  call: CallInfo;
}

/** One step of the pipeline. `directions` says which way of travel it applies to. */
export interface Stage {
  name: string;
  directions: readonly Direction[];
  run(message: JSONRPCMessage, ctx: PipelineContext): Decision | Promise<Decision>;
}
