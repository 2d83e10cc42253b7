import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';

const masker = () => createMasker({ styles: { email: 'full' } });
const EMAIL = 'ana@example.com';
const BASE64_WITH_EMAIL = Buffer.from(`contact ${EMAIL}`).toString('base64');

describe('maskResult', () => {
  it('tools/call: masks text, embedded resource text and structuredContent; leaves image, audio, blob, links and _meta', () => {
    const result = {
      content: [
        { type: 'text', text: `mail ${EMAIL}` },
        { type: 'image', data: EMAIL, mimeType: 'image/png' },
        { type: 'audio', data: BASE64_WITH_EMAIL, mimeType: 'audio/wav' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: EMAIL } },
        { type: 'resource', resource: { uri: 'file:///a.bin', blob: EMAIL } },
        { type: 'resource_link', uri: `mailto:${EMAIL}`, name: EMAIL },
      ],
      structuredContent: { owner: EMAIL },
      isError: false,
      _meta: { note: EMAIL },
    };
    const { value, findings } = masker().maskResult('tools/call', result);
    expect(value).toEqual({
      ...result,
      content: [
        { type: 'text', text: 'mail [EMAIL]' },
        result.content[1],
        result.content[2],
        { type: 'resource', resource: { uri: 'file:///a.txt', text: '[EMAIL]' } },
        result.content[4],
        result.content[5],
      ],
      structuredContent: { owner: '[EMAIL]' },
    });
    expect(findings.map((f) => f.pointer)).toEqual(['/content/0/text', '/content/3/resource/text', '/structuredContent/owner']);
    expect(result.content[0].text).toBe(`mail ${EMAIL}`);
  });

  it('tools/call: adds no field the result did not have', () => {
    const { value } = masker().maskResult('tools/call', { structuredContent: { owner: EMAIL } });
    expect(value).toStrictEqual({ structuredContent: { owner: '[EMAIL]' } });
  });

  it('resources/read: masks contents[].text and leaves blobs', () => {
    const result = { contents: [{ uri: 'file:///a', text: EMAIL }, { uri: 'file:///b', blob: EMAIL, mimeType: 'application/octet-stream' }] };
    const { value, findings } = masker().maskResult('resources/read', result);
    expect(value).toEqual({ contents: [{ uri: 'file:///a', text: '[EMAIL]' }, result.contents[1]] });
    expect(findings.map((f) => f.pointer)).toEqual(['/contents/0/text']);
  });

  it('prompts/get: masks the text of each message, and leaves the description', () => {
    const result = {
      description: `for ${EMAIL}`,
      messages: [
        { role: 'user', content: { type: 'text', text: `write to ${EMAIL}` } },
        { role: 'user', content: { type: 'image', data: EMAIL, mimeType: 'image/png' } },
        { role: 'assistant', content: { type: 'resource', resource: { uri: 'x:y', text: EMAIL } } },
      ],
    };
    const { value, findings } = masker().maskResult('prompts/get', result);
    expect(value).toEqual({
      ...result,
      messages: [
        { role: 'user', content: { type: 'text', text: 'write to [EMAIL]' } },
        result.messages[1],
        { role: 'assistant', content: { type: 'resource', resource: { uri: 'x:y', text: '[EMAIL]' } } },
      ],
    });
    expect(findings.map((f) => f.pointer)).toEqual(['/messages/0/content/text', '/messages/2/content/resource/text']);
  });

  it('a JSON-RPC error: masks message and data', () => {
    const error = { code: -32000, message: `no user ${EMAIL}`, data: { tried: [EMAIL] } };
    const { value, findings } = masker().maskResult('tools/call', error);
    expect(value).toEqual({ code: -32000, message: 'no user [EMAIL]', data: { tried: ['[EMAIL]'] } });
    expect(findings.map((f) => f.pointer)).toEqual(['/message', '/data/tried/0']);
  });

  it('leaves catalogue results such as tools/list as they are', () => {
    const result = { tools: [{ name: 'send', description: `mails ${EMAIL}`, inputSchema: { type: 'object' } }] };
    expect(masker().maskResult('tools/list', result)).toEqual({ value: result, findings: [] });
  });

  it('masks every string of a result of any other method, binary content still excepted', () => {
    const result = { completion: { values: [EMAIL] }, image: { type: 'image', data: EMAIL } };
    const { value } = masker().maskResult(undefined, result);
    expect(value).toEqual({ completion: { values: ['[EMAIL]'] }, image: { type: 'image', data: EMAIL } });
    expect(masker().maskResult('completion/complete', result).value).toEqual(value);
  });
});
