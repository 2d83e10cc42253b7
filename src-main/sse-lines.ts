/** One server-sent event: its `event:` type and its `data:` lines joined. */
export interface SseMessage {
  type: string;
  data: string;
}

/**
 * Incremental parser of a `text/event-stream`: feed it text as it arrives, get whole events back.
 * Comments (heartbeats) and events without data are dropped; `\r\n`, `\r` and `\n` all end a line.
 */
export class SseParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let end: number;
    while ((end = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone `\r` at the end may be the first half of `\r\n`: wait for the next chunk.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      const message = this.data.length > 0 ? { type: this.type || 'message', data: this.data.join('\n') } : undefined;
      this.type = '';
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    return undefined;
  }
}
