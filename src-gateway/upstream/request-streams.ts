import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * The SSE response streams of the requests sent to one HTTP server, by request id, so that the
 * stream of a cancelled request can be let go. The server does not answer a cancelled request,
 * and the SDK's client transport reads a stream until it ends: without this, every call the agent
 * cancelled (or Airlock timed out) kept a connection and ~60 KiB open until the session ended.
 */
export class RequestStreams {
  /** Ends the stream of a request, as if the server had closed it. */
  private readonly open = new Map<string, () => void>();

  /** Open streams, for tests. */
  get size(): number {
    return this.open.size;
  }

  /** `fetch`, with the SSE answer of every single request kept releasable until it ends. */
  track(fetch: FetchLike): FetchLike {
    return async (url, init) => {
      const response = await fetch(url, init);
      const key = init?.method === 'POST' && response.ok && response.body && isEventStream(response) ? requestKey(init.body) : undefined;
      if (key === undefined) return response;
      return this.releasable(key, response);
    };
  }

  /** After a cancellation was sent: the stream of the request it names ends here. */
  releaseCancelled(message: JSONRPCMessage): void {
    if (!('method' in message) || message.method !== 'notifications/cancelled') return;
    const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
    if (requestId !== undefined) this.open.get(JSON.stringify(requestId))?.();
  }

  private releasable(key: string, response: Response): Response {
    const reader = response.body!.getReader();
    let ended = false;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const end = (): boolean => {
      if (ended) return false;
      ended = true;
      if (this.open.get(key) === release) this.open.delete(key);
      return true;
    };
    // A graceful end (not an error): the SDK then neither reports a broken stream nor retries,
    // unless the server made the stream resumable, in which case it resumes it as it would anyway.
    const release = () => {
      if (!end()) return;
      controller.close();
      reader.cancel().catch(() => {});
    };
    const body = new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
      // A read that fails fails this stream the same way, so a broken connection is still noticed.
      pull: async (c) => {
        const { done, value } = await reader.read().catch((error: unknown) => {
          end();
          throw error;
        });
        if (ended) return;
        if (done) {
          end();
          c.close();
        } else c.enqueue(value);
      },
      cancel: (reason) => {
        end();
        return reader.cancel(reason);
      },
    });
    this.open.set(key, release);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}

function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream');
}

/** The id of the one request a POST body carries; undefined for batches, notifications and answers. */
function requestKey(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const message = JSON.parse(body) as { id?: unknown; method?: unknown };
    return message !== null && typeof message === 'object' && typeof message.method === 'string' && message.id !== undefined ? JSON.stringify(message.id) : undefined;
  } catch {
    return undefined;
  }
}
