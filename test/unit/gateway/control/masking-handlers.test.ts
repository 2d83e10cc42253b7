import { afterEach, describe, expect, it } from 'vitest';
import type { DetectorView, MaskPreviewView } from '../../../../src-gateway/control/contract.js';
import { DETECTOR_NAMES } from '../../../../src-gateway/masking/mask-engine.js';
import { openPolicyControl, type PolicyControlHarness } from './policy-control-harness.js';

const MASKING_POLICY = {
  name: 'policy.yaml',
  text: [
    'rules: []',
    'masking:',
    '  custom:',
    '    - { name: employee-id, regex: "EMP-[0-9]{6}", label: EMPLOYEE_ID }',
    '  rules:',
    '    - match: { server: billing }',
    '      detectors: [card]',
    '      styles: { card: full }',
    '    - match: { server: public }',
    '      detectors: []',
    '    - disable: [phone, ipv4]',
    '      styles: { employee-id: token }',
  ].join('\n'),
};
const TEXT = 'Mail ana@example.com, card 4111 1111 1111 1111, call +44 20 7946 0958, badge EMP-123456';

let harness: PolicyControlHarness;
afterEach(() => harness?.close());

async function preview(body: Record<string, unknown>): Promise<MaskPreviewView> {
  const result = await harness.call('previewMasking', { body });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('listing the detectors', () => {
  it('lists every built-in detector with a one-line description, all on under the default policy', async () => {
    harness = openPolicyControl();
    const result = await harness.call('listDetectors');
    const detectors = result.ok ? result.data : [];
    expect(detectors.map((d) => d.name)).toEqual([...DETECTOR_NAMES]);
    for (const detector of detectors) {
      expect(detector.description, detector.name).toMatch(/^\S[^\n]{10,120}$/);
      expect(detector.enabled).toBe(true);
    }
    expect(new Set(detectors.map((d) => d.description)).size).toBe(detectors.length);
  });

  it('says which detectors the policy\'s masking uses for the default target, and lists the policy\'s own', async () => {
    harness = openPolicyControl({ policy: MASKING_POLICY });
    const result = await harness.call('listDetectors');
    const byName = new Map((result.ok ? result.data : []).map((d) => [d.name, d]));
    expect(byName.get('phone')?.enabled).toBe(false);
    expect(byName.get('ipv4')?.enabled).toBe(false);
    expect(byName.get('email')?.enabled).toBe(true);
    expect(byName.get('employee-id')).toEqual({ name: 'employee-id', description: 'Defined in the policy: matches /EMP-[0-9]{6}/', enabled: true } satisfies DetectorView);
  });

  it('marks every detector off when the policy turns masking off', async () => {
    harness = openPolicyControl({ policy: { name: 'policy.json', text: '{"rules": [], "masking": {"enabled": false}}' } });
    const result = await harness.call('listDetectors');
    expect(result.ok && result.data.some((d) => d.enabled)).toBe(false);
  });
});

describe('previewing masking', () => {
  it('masks as the policy would for the target, with where each finding is and what replaced it', async () => {
    harness = openPolicyControl({ policy: MASKING_POLICY });
    const result = await preview({ text: TEXT });
    expect(result.masked).toBe('Mail <email_1>, card **** **** **** 1111, call +44 20 7946 0958, badge <employee-id_1>');
    expect(result.findings.map((f) => f.detector).sort()).toEqual(['card', 'email', 'employee-id']);
    const email = result.findings.find((f) => f.detector === 'email')!;
    expect(email).toEqual({ detector: 'email', pointer: '', start: 5, end: 20, replacement: '<email_1>' });
    expect(TEXT.slice(email.start, email.end)).toBe('ana@example.com');
    expect(result.maskingOff).toBeUndefined();

    const billing = await preview({ value: { note: TEXT }, server: 'billing' });
    expect(billing.findings.map((f) => [f.detector, f.pointer])).toEqual([['card', '/note']]);
    expect((billing.masked as { note: string }).note).toContain('card [CARD], call +44');
  });

  it('runs only the detectors asked for, with the styles the policy gives them', async () => {
    harness = openPolicyControl({ policy: MASKING_POLICY });
    const result = await preview({ text: TEXT, detectors: ['phone', 'employee-id'] });
    expect(result.findings.map((f) => f.detector).sort()).toEqual(['employee-id', 'phone']);
    expect(result.masked).toBe('Mail ana@example.com, card 4111 1111 1111 1111, call +** ** **** 0958, badge <employee-id_1>');
    // On a target whose rule runs no detector, the preview still shows what the chosen ones would do.
    const off = await preview({ text: TEXT, server: 'public', detectors: ['email'] });
    expect(off).toMatchObject({ masked: expect.stringContaining('<email_1>'), maskingOff: true });
    expect(await preview({ text: TEXT, server: 'public' })).toEqual({ masked: TEXT, findings: [], maskingOff: true });
  });

  it('masks nothing with an empty list of detectors', async () => {
    harness = openPolicyControl();
    expect(await preview({ text: TEXT, detectors: [] })).toEqual({ masked: TEXT, findings: [] });
  });

  it('refuses unknown detector names, naming them', async () => {
    harness = openPolicyControl();
    const result = await harness.call('previewMasking', { body: { text: TEXT, detectors: ['email', 'passport', 'sin', 'passport'] } });
    expect(result).toEqual({ ok: false, code: 'invalid', message: 'body.detectors: unknown detectors "passport", "sin" (GET /control/mask/detectors lists them)' });
  });

  it('keeps the message short when a request names thousands of unknown detectors', async () => {
    harness = openPolicyControl();
    const names = Array.from({ length: 5000 }, (_, i) => `${'x'.repeat(1000)}${i}`);
    const result = await harness.call('previewMasking', { body: { text: TEXT, detectors: names } });
    expect(result).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining('and 4995 more') });
    expect(!result.ok && result.message.length).toBeLessThan(600);
  });

  it.each([
    ['both text and value', { text: 'a', value: 'b' }, 'give exactly one of text and value'],
    ['neither text nor value', { server: 'demo' }, 'give exactly one of text and value'],
    ['detectors that are not a list', { text: 'a', detectors: 'email' }, 'body.detectors'],
    ['an empty detector name', { text: 'a', detectors: [''] }, 'body.detectors.0'],
    ['a text that is not a string', { text: 42 }, 'body.text'],
    ['groups that are not strings', { text: 'a', groups: [1] }, 'body.groups.0'],
    ['an extra field', { text: 'a', style: 'full' }, 'Unrecognized key: "style"'],
    ['a "__proto__" key', JSON.parse('{"text": "a", "__proto__": {"detectors": ["nope"]}}'), 'Unrecognized key: "__proto__"'],
  ])('refuses a body with %s', async (_what, body, message) => {
    harness = openPolicyControl();
    const result = await harness.call('previewMasking', { body });
    expect(result).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining(message) });
  });

  it('masks any JSON value, including null, and leaves non-strings alone', async () => {
    harness = openPolicyControl();
    expect(await preview({ value: null })).toEqual({ masked: null, findings: [] });
    const result = await preview({ value: { list: [1, true, 'ana@example.com'] } });
    expect(result.masked).toEqual({ list: [1, true, '<email_1>'] });
    expect(result.findings[0]).toMatchObject({ pointer: '/list/2', start: 0, end: 15 });
  });
});
