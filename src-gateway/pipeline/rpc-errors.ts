import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';

/**
 * JSON-RPC error codes the gateway itself answers with. Each error message tells the agent (and the
 * person behind it) what happened and what to do; internals stay in the gateway's log.
 */
export const GatewayErrorCode = {
  /** The call could not be written to the audit log, so it was not forwarded. */
  notRecorded: -32003,
  /** The downstream server could not be reached, failed to start, or exited. */
  serverUnavailable: -32002,
  /** A pipeline stage stopped the call. */
  denied: -32001,
} as const;

export function errorResponse(id: RequestId, code: number, message: string, data?: unknown): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}
