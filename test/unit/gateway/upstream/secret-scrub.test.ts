import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { secretScrubber } from '../../../../src-gateway/upstream/secret-scrub.js';

const SECRET = 'pl41n-s3cr3t-"quoted"\\path';

describe('cutting injected credentials out of what a server sends', () => {
  const scrub = secretScrubber([SECRET, 'short']);

  it('cuts a secret out of every string and key, however deep, whatever its characters', () => {
    const message = {
      jsonrpc: '2.0',
      id: 1,
      result: { content: [{ type: 'text', text: `token: ${SECRET}!` }], structuredContent: { [SECRET]: [SECRET, { deeper: `x${SECRET}x` }] } },
    } as JSONRPCMessage;
    const scrubbed = JSON.stringify(scrub(message));
    expect(scrubbed).not.toContain('pl41n-s3cr3t');
    expect(scrub(message)).toEqual({
      jsonrpc: '2.0',
      id: 1,
      result: { content: [{ type: 'text', text: 'token: [SECRET]!' }], structuredContent: { '[SECRET]': ['[SECRET]', { deeper: 'x[SECRET]x' }] } },
    });
  });

  it('returns a message without secrets as it is, and ignores values too short to be secrets', () => {
    const message = { jsonrpc: '2.0', id: 2, result: { text: 'a short answer' } } as JSONRPCMessage;
    expect(scrub(message)).toBe(message);
  });

  it('does nothing at all for a server given no secrets', () => {
    const message = { jsonrpc: '2.0', method: 'notifications/message', params: { data: SECRET } } as JSONRPCMessage;
    expect(secretScrubber([])(message)).toBe(message);
  });
});
