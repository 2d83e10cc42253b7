import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from '../../../src-renderer/api/sse-reader.js';

/** A body that arrives in the given chunks, as a network would split it. */
function body(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function read(chunks: string[]): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  await readSse(body(chunks), (message) => messages.push(message));
  return messages;
}

describe('reading the live feed (server-sent events)', () => {
  it('reads typed events and skips keep-alive comments', async () => {
    expect(await read([': connected\n\nevent: call\ndata: {"id":1}\n\n: ping\n\nevent: approval-resolved\ndata: {"id":"a"}\n\n'])).toEqual([
      { type: 'call', data: '{"id":1}' },
      { type: 'approval-resolved', data: '{"id":"a"}' },
    ]);
  });

  it('joins an event split anywhere across chunks, including inside a multi-byte character and a CRLF', async () => {
    const text = 'event: call\r\ndata: {"tool":"café"}\r\n\r\n';
    const bytes = new TextEncoder().encode(text);
    const messages: SseMessage[] = [];
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    await readSse(stream, (message) => messages.push(message));
    expect(messages).toEqual([{ type: 'call', data: '{"tool":"café"}' }]);
  });

  it('joins multi-line data with newlines and defaults the type to "message"', async () => {
    expect(await read(['data: a\ndata:b\n\n'])).toEqual([{ type: 'message', data: 'a\nb' }]);
  });

  it('drops an event the stream ends in the middle of', async () => {
    expect(await read(['event: call\ndata: {"id":1}\n\nevent: call\ndata: {"id"'])).toEqual([{ type: 'call', data: '{"id":1}' }]);
  });
});
