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
  /** The server did not answer within `limits.requestTimeoutSeconds`; the call was cancelled upstream. */
  timedOut: -32004,
  /** The gateway is at `limits.maxInFlightRequests`; the call was not forwarded. */
  overloaded: -32005,
} as const;

export function errorResponse(id: RequestId, code: number, message: string, data?: unknown): JSONRPCMessage & { id: RequestId } {
  return { jsonrpc: '2.0', id, error: data === undefined ? { code, message } : { code, message, data } };
}

/**
 * The answer to a call the gateway stopped. A tools/call gets a tool result with `isError`, which
 * agents show to the model so it can change course; anything else gets a JSON-RPC error.
 */
export function deniedAnswer(id: RequestId, method: string | undefined, reason: string, rule?: string): JSONRPCMessage & { id: RequestId } {
  const text = `Airlock blocked this call: ${reason}${rule ? ` (rule ${rule})` : ''}`;
  if (method === 'tools/call') {
    return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text }], isError: true, _meta: { 'airlock/rule': rule ?? null } } };
  }
  return errorResponse(id, GatewayErrorCode.denied, text, { rule: rule ?? null });
}
