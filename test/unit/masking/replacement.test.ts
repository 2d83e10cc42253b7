import { describe, expect, it } from 'vitest';
import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import { partialMask, replacementFor } from '../../../src-gateway/masking/replacement.js';
import { TokenVault } from '../../../src-gateway/masking/token-vault.js';

describe('replacement styles', () => {
  it.each([
    ['4242 4242 4242 4242', '**** **** **** 4242'],
    ['4242-4242-4242-4242', '****-****-****-4242'],
    ['+44 20 7946 0958', '+** ** **** 0958'],
    ['(415) 555-0123', '(***) ***-0123'],
    ['GB82 WEST 1234 5698 7654 32', '**** **** **** **** **54 32'],
    ['123-45-6789', '***-**-6789'],
    ['ana@example.com', '***@******e.com'],
    ['hunter2', '*******'],
    ['Zoë Müller-Lüdenscheidt', '*** ******-********eidt'],
  ])('partial keeps the last four letters or digits of %j and the separators', (value, expected) => {
    expect(partialMask(value)).toBe(expected);
  });

  it('full writes the label, token asks the vault', () => {
    const detector = { name: 'email', label: 'EMAIL' };
    const vault = new TokenVault();
    expect(replacementFor('full', detector, 'ana@example.com', vault)).toBe('[EMAIL]');
    expect(replacementFor('token', detector, 'ana@example.com', vault)).toBe('<email_1>');
  });

  it('a vault gives the same value the same token, and numbers each detector on its own', () => {
    const vault = new TokenVault();
    expect(vault.tokenFor('email', 'EMAIL', 'a@example.com')).toBe('<email_1>');
    expect(vault.tokenFor('email', 'EMAIL', 'b@example.com')).toBe('<email_2>');
    expect(vault.tokenFor('phone', 'PHONE', 'a@example.com')).toBe('<phone_1>');
    expect(vault.tokenFor('email', 'EMAIL', 'a@example.com')).toBe('<email_1>');
  });

  it('tokens are stable across calls of one session and start over in another', () => {
    const session = new TokenVault();
    const first = createMasker({ tokens: session });
    const second = createMasker({ tokens: session, detectors: ['email'] });
    expect(first.maskString('from ana@example.com to bo@example.com')).toBe('from <email_1> to <email_2>');
    expect(second.maskString('cc bo@example.com, ana@example.com')).toBe('cc <email_2>, <email_1>');
    expect(createMasker({ tokens: new TokenVault() }).maskString('bo@example.com')).toBe('<email_1>');
  });

  it('styles can be set per detector', () => {
    const masker = createMasker({ styles: { email: 'full', card: 'token', 'us-ssn': 'partial' } });
    expect(masker.maskString('ana@example.com 4242 4242 4242 4242 123-45-6789')).toBe('[EMAIL] <card_1> ***-**-6789');
  });
});
