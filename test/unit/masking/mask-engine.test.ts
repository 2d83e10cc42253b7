import { describe, expect, it } from 'vitest';
import { createMasker, DETECTOR_NAMES } from '../../../src-gateway/masking/mask-engine.js';
import type { Finding } from '../../../src-gateway/masking/mask-types.js';
import { MAX_DEPTH, TOO_DEEP_MARKER } from '../../../src-gateway/masking/json-walk.js';

const full = () =>
  createMasker({ styles: Object.fromEntries(DETECTOR_NAMES.map((name) => [name, 'full' as const])) });

describe('the masking engine', () => {
  it('names exactly the detectors of the contract', () => {
    expect([...DETECTOR_NAMES].sort()).toEqual([
      'anthropic-key', 'aws-access-key-id', 'aws-secret-key', 'azure-connection-string', 'card', 'database-url',
      'date-of-birth', 'email', 'github-token', 'gitlab-token', 'google-api-key', 'iban', 'ipv4', 'ipv6', 'jwt',
      'npm-token', 'openai-key', 'password-assignment', 'phone', 'private-key', 'slack-token', 'stripe-key', 'us-ssn',
    ]);
  });

  it('records each finding with its detector, pointer and offsets in the original string, never the value', () => {
    const text = 'mail ana@example.com, card 4242 4242 4242 4242';
    const findings: Finding[] = [];
    const masked = createMasker().maskString(text, '/content/0/text', findings);
    expect(masked).toBe('mail <email_1>, card **** **** **** 4242');
    expect(findings).toEqual([
      { detector: 'email', pointer: '/content/0/text', start: 5, end: 20, replacement: '<email_1>' },
      { detector: 'card', pointer: '/content/0/text', start: 27, end: 46, replacement: '**** **** **** 4242' },
    ]);
    expect(JSON.stringify(findings)).not.toContain('ana@example.com');
  });

  it('lets the longer of two overlapping findings win: a database URL over the address inside it', () => {
    const findings: Finding[] = [];
    expect(full().maskString('DATABASE_URL=postgres://app:Pw12345678@db.example.com/orders', '', findings)).toBe('DATABASE_URL=[DATABASE_URL]');
    expect(findings.map((f) => f.detector)).toEqual(['database-url']);
  });

  it('gives a tie to the more specific detector: a JWT assigned to token= is a JWT', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLWJ5dGVz';
    expect(full().maskString(`token=${jwt}`)).toBe('token=[JWT]');
  });

  it('masks every string leaf of a value, with pointers, and leaves the input as it was', () => {
    const input = { customers: [{ id: 7, email: 'ana@example.com', tags: ['vip', 'ring +44 20 7946 0958'], active: true, note: null }] };
    const before = structuredClone(input);
    const { value, findings } = full().maskValue(input, '/structuredContent');
    expect(value).toEqual({ customers: [{ id: 7, email: '[EMAIL]', tags: ['vip', 'ring [PHONE]'], active: true, note: null }] });
    expect(input).toEqual(before);
    expect(findings.map((f) => [f.detector, f.pointer, f.start, f.end])).toEqual([
      ['email', '/structuredContent/customers/0/email', 0, 15],
      ['phone', '/structuredContent/customers/0/tags/1', 5, 21],
    ]);
  });

  it('walks JSON inside a text block as JSON, with pointers that run on into it, and keeps its layout', () => {
    const text = JSON.stringify({ customers: [{ name: 'Ana', email: 'ana@example.com', 'a/b~c': 'bo@example.com' }] }, null, 2);
    const { value, findings } = full().maskResult('tools/call', { content: [{ type: 'text', text }] });
    const masked = (value as { content: { text: string }[] }).content[0].text;
    expect(masked).toBe(JSON.stringify({ customers: [{ name: 'Ana', email: '[EMAIL]', 'a/b~c': '[EMAIL]' }] }, null, 2));
    expect(findings.map((f) => f.pointer)).toEqual(['/content/0/text/customers/0/email', '/content/0/text/customers/0/a~1b~0c']);
  });

  it('returns a JSON text with nothing to mask exactly as it came, and scans text that only looks like JSON as text', () => {
    const clean = '{ "ok" : true,\n  "n": 1.50 }';
    expect(createMasker().maskValue(clean).value).toBe(clean);
    expect(full().maskValue('[not json] ana@example.com').value).toBe('[not json] [EMAIL]');
  });

  it('keeps object keys in order and a __proto__ key as a plain key', () => {
    const input = JSON.parse('{"b":"ana@example.com","__proto__":{"x":"bo@example.com"},"a":1}');
    const { value } = full().maskValue(input);
    expect(Object.keys(value as object)).toEqual(['b', '__proto__', 'a']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(JSON.stringify(value)).toBe('{"b":"[EMAIL]","__proto__":{"x":"[EMAIL]"},"a":1}');
  });

  it('replaces a subtree nested deeper than the limit with a marker, failing closed', () => {
    let deep: unknown = 'ana@example.com';
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = { d: deep };
    const { value, findings } = full().maskValue(deep);
    let at = value as Record<string, unknown>;
    for (let i = 0; i < MAX_DEPTH; i++) at = at.d as Record<string, unknown>;
    expect(at).toBe(TOO_DEEP_MARKER);
    expect(findings).toEqual([{ detector: 'too-deep', pointer: `/${Array(MAX_DEPTH).fill('d').join('/')}`, start: 0, end: 0, replacement: TOO_DEEP_MARKER }]);
    expect(JSON.stringify(value)).not.toContain('ana@example.com');
  });

  it('rewrites a JSON text whose too-deep part became a marker, though nothing else in it was masked', () => {
    const text = `${'['.repeat(MAX_DEPTH + 5)}"ana@example.com"${']'.repeat(MAX_DEPTH + 5)}`;
    const { value, findings } = full().maskValue(text);
    expect(value).toContain(TOO_DEEP_MARKER);
    expect(value).not.toContain('ana@example.com');
    expect(findings.map((f) => f.detector)).toEqual(['too-deep']);
  });
});

describe('custom detectors', () => {
  it('run a policy regex with the policy’s inline flags, a default label and the full style', () => {
    const masker = createMasker({ detectors: [], custom: [{ name: 'employee-id', regex: '(?i)\\bemp-\\d{6}\\b' }] });
    expect(masker.maskString('EMP-123456 and emp-654321')).toBe('[EMPLOYEE_ID] and [EMPLOYEE_ID]');
  });

  it.each([
    ['luhn', '\\b\\d{16}\\b', '4242424242424242 4242424242424241', '[X] 4242424242424241'],
    ['mod97', '\\b[A-Z]{2}\\d{2}[A-Z0-9]{14,30}\\b', 'GB82WEST12345698765432 GB82WEST12345698765433', '[X] GB82WEST12345698765433'],
    ['entropy', '\\bkey_[A-Za-z0-9]{16}\\b', 'key_Ab3De6Gh9Jk2Mn5P key_aaaaaaaaaaaaaaaa', '[X] key_aaaaaaaaaaaaaaaa'],
  ] as const)('keep only the matches their %s validator accepts', (validator, regex, text, expected) => {
    const masker = createMasker({ detectors: [], custom: [{ name: 'x', regex, validator, label: 'X' }] });
    expect(masker.maskString(text)).toBe(expected);
  });

  it('take the given style and win a tie against a built-in detector', () => {
    const masker = createMasker({ custom: [{ name: 'ticket', regex: '\\b\\d{3}-\\d{2}-\\d{4}\\b', style: 'token' }] });
    expect(masker.maskString('ref 123-45-6789')).toBe('ref <ticket_1>');
  });

  it('do not match across two strings of one result', () => {
    const masker = createMasker({ detectors: [], custom: [{ name: 'pair', regex: 'A[\\s\\S]{0,6}B' }] });
    expect(masker.maskValue(['xA', 'By', 'A-B']).value).toEqual(['xA', 'By', '[PAIR]']);
  });

  it.each([
    [{ detectors: ['emial'] }, /unknown masking detector "emial"/],
    [{ styles: { emial: 'full' as const } }, /unknown detector "emial"/],
    [{ custom: [{ name: 'email', regex: 'x' }] }, /name of a built-in/],
    [{ custom: [{ name: 'bad', regex: '(' }] }, /custom detector "bad"/],
  ])('refuse options that name no detector or clash (%#)', (options, message) => {
    expect(() => createMasker(options)).toThrow(message);
  });
});
