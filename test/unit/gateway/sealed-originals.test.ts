import { describe, expect, it } from 'vitest';
import { keyFromSecret, seal, unseal } from '../../../src-gateway/store/sealed-originals.js';

describe('sealed originals', () => {
  const key = keyFromSecret('auditor secret');

  it('opens with the same key and hides the text', () => {
    const sealed = seal('card 4111 1111 1111 1111', key);
    expect(sealed).not.toContain('4111');
    expect(unseal(sealed, key)).toBe('card 4111 1111 1111 1111');
  });

  it('refuses another key and altered data', () => {
    const sealed = seal('jane@example.com', key);
    expect(() => unseal(sealed, keyFromSecret('someone else'))).toThrow();
    const raw = Buffer.from(sealed, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => unseal(raw.toString('base64'), key)).toThrow();
  });

  it('never seals the same text the same way twice', () => {
    expect(seal('same', key)).not.toBe(seal('same', key));
  });
});
