import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import type { Finding } from '../../../src-gateway/masking/mask-types.js';
import { TOO_DEEP_MARKER } from '../../../src-gateway/masking/json-walk.js';
import { SCAN_WINDOW } from '../../../src-gateway/masking/scan.js';

/*
 * Input built to stall a masker must not stall this one. Each case is timed; the bound is generous
 * (measured times are a tenth of it or less) so that a slow CI machine passes, while a pattern that
 * backtracks without bound, or work that grows with the square of the input, would not.
 */
const BOUND_MS = 2000;
const MB = 1 << 20;
const masker = createMasker();

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

/** `unit` repeated to about `size` characters. */
const bait = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length));

describe('pathological input', () => {
  it('a 10 MB single line of digits', () => {
    const { ms } = timed(() => masker.maskString('7'.repeat(10 * MB)));
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('10 MB of "a@a." repetitions', () => {
    const { result, ms } = timed(() => masker.maskString(bait('a@a.', 10 * MB)));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(result.length).toBe(10 * MB);
  });

  it('a long string is scanned in windows, and a value across a window edge is still masked', () => {
    const at = SCAN_WINDOW - 8;
    const text = `${'x '.repeat(at / 2)}ana@example.com ${'y '.repeat(SCAN_WINDOW)}`;
    const findings: Finding[] = [];
    const { ms } = timed(() => masker.maskString(text, '', findings));
    expect(findings.map((f) => [f.detector, f.start, f.end])).toEqual([['email', at, at + 15]]);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('arrays and objects nested 100,000 deep, which a recursive walk would overflow the stack on', () => {
    let array: unknown = 'ana@example.com';
    let object: unknown = 'ana@example.com';
    for (let i = 0; i < 100_000; i++) {
      array = [array];
      object = { k: object };
    }
    for (const value of [array, object]) {
      const { result, ms } = timed(() => masker.maskValue(value));
      expect(ms).toBeLessThan(BOUND_MS);
      expect(JSON.stringify(result.value, null, 0).includes(TOO_DEEP_MARKER)).toBe(true);
      expect(result.findings.map((f) => f.detector)).toEqual(['too-deep']);
    }
  });

  it('JSON text nested 100,000 deep inside a text block', () => {
    const text = `${'['.repeat(100_000)}"ana@example.com"${']'.repeat(100_000)}`;
    const { result, ms } = timed(() => masker.maskResult('tools/call', { content: [{ type: 'text', text }] }));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(JSON.stringify(result.value)).not.toContain('ana@example.com');
  });

  it('a result with 200,000 short strings', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ id: `row-${i}`, note: i % 1000 === 0 ? 'ana@example.com' : 'ok' }));
    const { result, ms } = timed(() => masker.maskValue(rows));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(result.findings).toHaveLength(200);
  });

  // Bait for each detector: its anchor repeated with what keeps its pattern and checks working longest.
  it.each([
    ['email', bait('a@a.'), bait(`${'a'.repeat(63)}@${'b'.repeat(60)}.`)],
    ['phone', bait('+1 '), bait('(0 '), bait('0 0 0 0 0 0 0 0 0 0 ')],
    ['card', bait('4111 '), bait('4111-1111-1111-111 '), bait('3782 822463 1000 ')],
    ['iban', bait('GB00 '), bait('GB82WEST1234569876543 ')],
    ['us-ssn', bait('123-45-'), bait('123-45-678-')],
    ['ipv4', bait('1.2.3.'), bait('v1.2.3.4 ')],
    ['ipv6', bait('a:b:'), bait('::'), bait('1:2:3:4:5:6:7:')],
    ['date-of-birth', bait('dob 1 '), bait(`born ${'1'.repeat(38)} `)],
    ['jwt', bait('eyJ'), bait(`eyJ${'a'.repeat(20)}.`)],
    ['private-key', bait('-----BEGIN PRIVATE KEY-----'), bait(`-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n`)],
    ['aws-access-key-id', bait('AKIA'), bait(`AKIA${'A'.repeat(15)}`)],
    ['aws-secret-key', bait('aws_secret_access_key='), bait(`aws_secret_access_key = ${'a'.repeat(39)} `)],
    ['github-token', bait('ghp_'), bait(`ghp_${'a'.repeat(300)}`)],
    ['gitlab-token', bait('glpat-'), bait(`glpat-${'a'.repeat(19)} `)],
    ['slack-token', bait('xoxb-'), bait(`xoxb-${'-'.repeat(300)}`)],
    ['stripe-key', bait('sk_live_'), bait(`sk_live_${'a'.repeat(9)} `)],
    ['openai-key', bait('sk-'), bait(`sk-${'a'.repeat(260)} `)],
    ['anthropic-key', bait('sk-ant-'), bait(`sk-ant-${'a'.repeat(19)} `)],
    ['google-api-key', bait('AIza'), bait(`AIza${'a'.repeat(34)} `)],
    ['npm-token', bait('npm_'), bait(`npm_${'a'.repeat(35)} `)],
    ['azure-connection-string', bait('Endpoint='), bait('DefaultEndpointsProtocol=https;AccountName=a;')],
    ['password-assignment', bait('password='), bait(`password: "${'a'.repeat(300)}`), bait('token: changeme ')],
    ['database-url', bait('://a:'), bait(`postgres://${'a:'.repeat(70)}`), bait(`redis://:${'p'.repeat(250)}`)],
  ])('ReDoS bait for %s', (_, ...baits) => {
    for (const text of baits) {
      const { ms } = timed(() => masker.maskString(text));
      expect(ms, `${text.slice(0, 40)}…`).toBeLessThan(BOUND_MS);
    }
  });
});
