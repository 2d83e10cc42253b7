/** One server-sent event: its `event:` type (default `message`) and its `data:` lines joined. */
export interface SseMessage {
  type: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body to its end, calling `onMessage` for each event. Comments
 * (`: ping`) keep the connection alive and are skipped; `id:` and `retry:` are not used here,
 * since a reconnect re-reads the current state instead of resuming the stream.
 */
export async function readSse(body: ReadableStream<Uint8Array>, onMessage: (message: SseMessage) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let type = '';
  let data: string[] = [];

  const takeLine = (line: string) => {
    if (line === '') {
      if (data.length) onMessage({ type: type || 'message', data: data.join('\n') });
      type = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    // One space after the colon belongs to the syntax, not the value.
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  };

  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    // Lines end in \n, \r\n or \r; a \r at the very end may be the first half of \r\n.
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const char = buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      if (char === '\r' && i === buffer.length - 1) break;
      takeLine(buffer.slice(start, i));
      if (char === '\r' && buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
  }
}
