import { randomBytes } from 'node:crypto';

/** Bytes of randomness in a session id: 128 bits, where a UUID v4 carries only 122. */
const SESSION_ID_BYTES = 16;

/**
 * A new session id: the `Mcp-Session-Id` an agent presents and the recorded session's id. It is
 * unguessable on its own (MCP security best practices: session ids must not be predictable) and
 * is honoured only with the token that created it, so knowing one is not enough to use it.
 */
export function newSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('hex');
}
