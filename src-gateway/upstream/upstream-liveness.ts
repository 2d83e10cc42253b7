import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Ids of Airlock's own pings; their answers are Airlock's, never passed to the agent. */
const PING_ID = 'airlock-liveness-';

/**
 * What the SDK's Streamable HTTP client reports when a response stream breaks: the calls on that
 * stream will never be answered unless the stream is resumed, and a dead server never resumes it.
 */
export function isStreamBreak(error: Error): boolean {
  return /^(SSE stream disconnected|Maximum reconnection attempts|Failed to reconnect)/.test(error.message);
}

/** The server's answer to one of Airlock's liveness pings. */
export function isLivenessAnswer(message: JSONRPCMessage): boolean {
  return !('method' in message) && 'id' in message && typeof message.id === 'string' && message.id.startsWith(PING_ID);
}

/**
 * Tells a dead HTTP server from a hiccup once a response stream broke: a ping that cannot be
 * delivered (connection refused, the server forgot the session) means the server is gone, and the
 * leg then answers its open calls at once instead of leaving them to their timeout.
 */
export class UpstreamLiveness {
  private checking = false;
  private pings = 0;

  constructor(
    private readonly send: (message: JSONRPCMessage) => Promise<void>,
    private readonly onGone: (reason: string) => void,
  ) {}

  /** Pings the server once (checks already under way are not repeated). */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      await this.send({ jsonrpc: '2.0', id: `${PING_ID}${++this.pings}`, method: 'ping' });
    } catch (error) {
      this.onGone(error instanceof Error ? error.message : String(error));
    } finally {
      this.checking = false;
    }
  }
}
