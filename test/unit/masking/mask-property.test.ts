import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker, DETECTOR_NAMES } from '../../../src-gateway/masking/mask-engine.js';
import type { Finding } from '../../../src-gateway/masking/mask-types.js';

const fullStyle = Object.fromEntries(DETECTOR_NAMES.map((name) => [name, 'full' as const]));

/** Values detectors look for, near misses, and odd characters. */
const VALUES = [
  'ana@example.com', 'a@b', '@', '.', '-', ':', '=', '/', '+', '[', ']', '{', '}', '0', '1', '9', 'é', '😀', '\u0000',
  '+44 20 7946 0958', '(415) 555-0123', '4242 4242 4242 4242', '4111111111111111', 'GB82 WEST 1234 5698 7654 32',
  '123-45-6789', '10.0.0.1', '2001:db8::1', '1985-03-12', '8 Feb 2000', 'hunter22', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
  '-----BEGIN PRIVATE KEY-----\nMIIEvQ==\n-----END PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----', 'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE9q', 'ghp_R2d2C3poBb8Yoda1Luke2Leia3Han4Solo56', 'glpat-Ab3dEf6hIj9kLm2nOp5q',
  'xoxb-1234567890-AbCd', 'sk_live_51H8xYzAbCdEf', 'sk-proj-Ab3De6Gh9Jk2Mn5Pq8St1Vw4', 'sk-ant-api03-Ab3De6Gh9Jk2Mn5Pq8St1',
  'AIzaSyD4a9Xk2Lm7Qp0Rs5Tu8Vw1Yz3Bc6De9Fg', 'npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8', 'postgres://app:Pw12345678@db/x',
  'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Ab3De6Gh9Jk2Mn5P==', '[EMAIL]', '<email_1>', '${PASSWORD}',
];
/** What may stand right before a value: nothing, a keyword that gives it meaning, or punctuation. */
const CONTEXT = ['', '', '', 'DOB: ', 'born ', 'password=', '"password": "', 'token: ', 'aws_secret_access_key = ', 'version ', 'v',
  '(', '"', 'mailto:', 'http://', 'Bearer ', 'key=', 'x'];

/**
 * Texts of values, each perhaps after a keyword, with a separator between values as in real text.
 * Values glued to one another with nothing between (`4242 4242 4242 4242postgres://…`) are left out
 * of the idempotence property: there a detector may refuse a value because of the letter next to it,
 * and accept it once that letter has become the `]` of a replacement.
 */
const value = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...VALUES) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 6 }) });
const word = fc.tuple(fc.constantFrom(...CONTEXT), value).map(([context, v]) => context + v);
const separator = fc.constantFrom(' ', '\n', ', ', '; ', '\t', ' | ', ' "', '" ');
const texty = fc.array(fc.tuple(word, separator), { maxLength: 12 }).map((parts) => parts.map(([w, sep]) => w + sep).join(''));
const anyText = fc.oneof(texty, fc.array(word, { maxLength: 24 }).map((parts) => parts.join('')), fc.string(), fc.string({ unit: 'binary' }));
const jsonOf = (text: fc.Arbitrary<string>) => fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('email', 'password', 'dob', 'version', 'text', 'data', 'type', '__proto__'), tie('value'), { maxKeys: 4 })),
})).value;

/** Rebuilds the masked text from the original and the findings alone. */
function applyFindings(text: string, findings: readonly Finding[]): string {
  let out = '';
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + f.replacement;
    at = f.end;
  }
  return out + text.slice(at);
}

describe('masking, for any input', () => {
  it('never throws, and its findings are ordered, disjoint, and rebuild the masked text', () => {
    const masker = createMasker();
    fc.assert(
      fc.property(anyText, (text) => {
        const findings: Finding[] = [];
        const masked = masker.maskString(text, '/x', findings);
        for (let i = 1; i < findings.length; i++) expect(findings[i].start).toBeGreaterThanOrEqual(findings[i - 1].end);
        expect(applyFindings(text, findings)).toBe(masked);
      }),
      { numRuns: 2000 },
    );
  });

  it('masking the output again finds nothing new, with the full style', () => {
    const masker = createMasker({ styles: fullStyle });
    fc.assert(
      fc.property(texty, (text) => {
        const again: Finding[] = [];
        masker.maskString(masker.maskString(text), '', again);
        expect(again).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on any JSON value or result', () => {
    const masker = createMasker();
    const method = fc.constantFrom(undefined, 'tools/call', 'resources/read', 'prompts/get', 'tools/list', 'other');
    fc.assert(
      fc.property(jsonOf(anyText), method, (value, m) => {
        masker.maskValue(value);
        masker.maskResult(m, value);
        masker.maskResult(m, { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value });
      }),
      { numRuns: 1000 },
    );
  });

  it('masking a JSON value again finds nothing new, with the full style', () => {
    const masker = createMasker({ styles: fullStyle });
    fc.assert(
      fc.property(jsonOf(texty), (value) => {
        expect(masker.maskValue(masker.maskValue(value).value).findings).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });
});
