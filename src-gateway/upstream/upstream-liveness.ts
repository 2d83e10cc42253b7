import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Ids of Airlock's own pings; their answers are Airlock's, never passed to the agent. */
const PING_ID = 'airlock-liveness-';

/** Pings before a server that cannot be reached is given up, and the wait before the first retry (doubling). */
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_FIRST_RETRY_MS = 250;

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
 * A server that answered the ping with a 4xx (the SDK's StreamableHTTPError carries the status):
 * it is up but has forgotten the session (404) or no longer lets Airlock in, and asking again
 * cannot change that. Anything else (refused, reset, 5xx from a proxy) may pass.
 */
function isFinalRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && error.message.startsWith('Streamable HTTP error') && typeof code === 'number' && code >= 400 && code < 500;
}

export interface LivenessOptions {
  attempts?: number;
  firstRetryMs?: number;
}

/**
 * Tells a dead HTTP server from a hiccup once a response stream broke or a send failed. A ping the
 * server refuses for good (it forgot the session) means it is gone at once; a ping that cannot be
 * delivered is tried again a few times with backoff (a keep-alive connection closed under the
 * request, a server restarting), and only when every attempt fails is the server given up. Then
 * the leg answers its open calls at once instead of leaving them to their timeout.
 */
export class UpstreamLiveness {
  private checking = false;
  private stopped = false;
  private pings = 0;
  private readonly attempts: number;
  private readonly firstRetryMs: number;

  constructor(
    private readonly send: (message: JSONRPCMessage) => Promise<void>,
    private readonly onGone: (reason: string) => void,
    options: LivenessOptions = {},
  ) {
    this.attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
    this.firstRetryMs = options.firstRetryMs ?? DEFAULT_FIRST_RETRY_MS;
  }

  /** Checks the server (a check already under way is not repeated). */
  async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.send({ jsonrpc: '2.0', id: `${PING_ID}${++this.pings}`, method: 'ping' });
          return;
        } catch (error) {
          if (this.stopped) return;
          if (isFinalRefusal(error) || attempt >= this.attempts) {
            const reason = error instanceof Error ? error.message : String(error);
            this.onGone(attempt > 1 ? `${reason} (${attempt} attempts)` : reason);
            return;
          }
        }
        await sleep(this.firstRetryMs * 2 ** (attempt - 1), undefined, { ref: false });
        if (this.stopped) return;
      }
    } finally {
      this.checking = false;
    }
  }

  /** No more pings: the session ended. */
  stop(): void {
    this.stopped = true;
  }
}
