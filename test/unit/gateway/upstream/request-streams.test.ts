import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { describe, expect, it } from 'vitest';
import { RequestStreams } from '../../../../src-gateway/upstream/request-streams.js';

const URL_ = new URL('http://127.0.0.1:1/mcp');
const encoder = new TextEncoder();
const post = (message: unknown) => ({ method: 'POST', body: JSON.stringify(message) });
const call = (id: number | string) => post({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'slow' } });
const cancel = (requestId: number | string) => ({ jsonrpc: '2.0' as const, method: 'notifications/cancelled', params: { requestId } });

/** A server's SSE answer that stays open until the test ends or fails it, and notes a cancel. */
function serverStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const state = { cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: () => void (state.cancelled = true),
  });
  return { stream, controller, state };
}

function fetchAnswering(body: ReadableStream<Uint8Array> | string | null, contentType = 'text/event-stream', status = 200): FetchLike {
  return async () => new Response(body, { status, headers: { 'content-type': contentType } });
}

async function readAll(response: Response): Promise<string> {
  return new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()));
}

describe('RequestStreams', () => {
  it('ends the answer stream of a cancelled request and lets go of the connection under it', async () => {
    const server = serverStream();
    const streams = new RequestStreams();
    const response = await streams.track(fetchAnswering(server.stream))(URL_, call(5));
    server.controller.enqueue(encoder.encode('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress"}\n\n'));
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('notifications/progress');
    expect(streams.size).toBe(1);

    streams.releaseCancelled(cancel(5));

    // An end, not an error: the SDK reading it neither reports a broken stream nor retries.
    expect((await reader.read()).done).toBe(true);
    expect(server.state.cancelled).toBe(true);
    expect(streams.size).toBe(0);
  });

  it('forgets a stream the server ended, and ignores a cancellation of another request', async () => {
    const server = serverStream();
    const streams = new RequestStreams();
    const response = await streams.track(fetchAnswering(server.stream))(URL_, call('a'));
    streams.releaseCancelled(cancel('b'));
    expect(streams.size).toBe(1);
    server.controller.enqueue(encoder.encode('event: message\ndata: {"jsonrpc":"2.0","id":"a","result":{}}\n\n'));
    server.controller.close();
    expect(await readAll(response)).toContain('"id":"a"');
    expect(streams.size).toBe(0);
    streams.releaseCancelled(cancel('a'));
    expect(server.state.cancelled).toBe(false);
  });

  it('fails with the broken connection, so a server that went away is still noticed', async () => {
    const server = serverStream();
    const streams = new RequestStreams();
    const response = await streams.track(fetchAnswering(server.stream))(URL_, call(1));
    const reading = readAll(response);
    server.controller.error(new TypeError('terminated'));
    await expect(reading).rejects.toThrow('terminated');
    expect(streams.size).toBe(0);
  });

  it('leaves alone what is not the SSE answer of one request', async () => {
    const streams = new RequestStreams();
    const cases: Array<[FetchLike, { method: string; body?: string }]> = [
      [fetchAnswering('{"jsonrpc":"2.0","id":1,"result":{}}', 'application/json'), call(1)],
      [fetchAnswering(null, 'text/plain', 202), post(cancel(1))],
      [fetchAnswering(serverStream().stream), post([{ jsonrpc: '2.0', id: 1, method: 'ping' }])],
      [fetchAnswering(serverStream().stream), post({ jsonrpc: '2.0', id: 1, result: {} })],
      [fetchAnswering(serverStream().stream), { method: 'GET' }],
      [fetchAnswering('not found', 'text/event-stream', 404), call(1)],
    ];
    for (const [fetch, init] of cases) {
      const original = await fetch(URL_, init);
      const tracked = await streams.track(async () => original)(URL_, init);
      expect(tracked).toBe(original);
    }
    expect(streams.size).toBe(0);
  });
});
