import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../src-main/sse-lines.js';

describe('SseParser', () => {
  it('parses events split across chunks anywhere, skipping heartbeats', () => {
    const text = ': connected\n\nevent: call\ndata: {"id":1}\n\n: heartbeat\n\nevent: approval-pending\r\ndata: {"id":"a"}\r\n\r\n';
    for (let cut = 0; cut < text.length; cut++) {
      const parser = new SseParser();
      const events = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(events).toEqual([
        { type: 'call', data: '{"id":1}' },
        { type: 'approval-pending', data: '{"id":"a"}' },
      ]);
    }
  });

  it('joins multi-line data and defaults the type', () => {
    expect(new SseParser().push('data: a\ndata: b\n\n')).toEqual([{ type: 'message', data: 'a\nb' }]);
  });
});
