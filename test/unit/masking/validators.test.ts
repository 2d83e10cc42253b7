import { describe, expect, it } from 'vitest';
import { isWrittenBirthDate } from '../../../src-gateway/masking/validators/calendar-date.js';
import { isCardNumber } from '../../../src-gateway/masking/validators/card-issuers.js';
import { mixesCharacterClasses, shannonEntropy } from '../../../src-gateway/masking/validators/entropy.js';
import { isValidIban } from '../../../src-gateway/masking/validators/iban.js';
import { isIpv4, isIpv6 } from '../../../src-gateway/masking/validators/ip-address.js';
import { passesLuhn } from '../../../src-gateway/masking/validators/luhn.js';
import { passesMod97 } from '../../../src-gateway/masking/validators/mod97.js';
import { isPlaceholder, looksLikeSecret } from '../../../src-gateway/masking/validators/secret-value.js';
import { isIssuableSsn } from '../../../src-gateway/masking/validators/ssn.js';

describe('validators', () => {
  it('Luhn accepts test card numbers and refuses a changed digit', () => {
    expect(['4242424242424242', '378282246310005', '6011111111111117', '79927398713'].map(passesLuhn)).toEqual([true, true, true, true]);
    expect(['4242424242424241', '79927398710', '1', '42a2'].map(passesLuhn)).toEqual([false, false, false, false]);
  });

  it('a card number needs an issuer prefix, that issuer’s length and Luhn', () => {
    expect(isCardNumber('4242424242424242')).toBe(true);
    expect(isCardNumber('378282246310005')).toBe(true);
    expect(isCardNumber('37828224631000')).toBe(false); // Amex is 15 digits
    expect(isCardNumber('9242424242424242')).toBe(false);
  });

  it('mod 97 accepts registry examples and refuses a changed character', () => {
    expect(passesMod97('GB82WEST12345698765432')).toBe(true);
    expect(passesMod97('GB82WEST12345698765433')).toBe(false);
    expect(passesMod97('gb82west12345698765432')).toBe(false);
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('DE8937040044053201300')).toBe(false);
  });

  it('entropy tells random keys from words', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBeCloseTo(2);
    expect(shannonEntropy('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBeGreaterThan(4);
    expect(mixesCharacterClasses('Ab3', 3)).toBe(true);
    expect(mixesCharacterClasses('abc-def', 2)).toBe(false);
  });

  it('SSNs in ranges the SSA never issues are refused', () => {
    expect(['123-45-6789', '001-01-0001', '665-99-9999'].map(isIssuableSsn)).toEqual([true, true, true]);
    expect(['000-45-6789', '666-45-6789', '900-45-6789', '123-00-6789', '123-45-0000'].map(isIssuableSsn)).toEqual([false, false, false, false, false]);
  });

  it('IP addresses follow their RFCs', () => {
    expect(['0.0.0.0', '255.255.255.255', '10.0.0.1'].map(isIpv4)).toEqual([true, true, true]);
    expect(['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', '1.2.3.a'].map(isIpv4)).toEqual([false, false, false, false, false, false]);
    expect(['::', '::1', '1::', '2001:db8::1', '1:2:3:4:5:6:7:8', '::ffff:1.2.3.4', '1:2:3:4:5:6:1.2.3.4'].map(isIpv6)).toEqual([true, true, true, true, true, true, true]);
    expect(['1:2:3:4:5:6:7', '1::2::3', '12345::', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '::1.2.3', 'g::1'].map(isIpv6)).toEqual([false, false, false, false, false, false, false]);
  });

  it('birth dates are real days in any of the written formats', () => {
    expect(['2000-02-29', '29/02/2000', '02/29/2000', '8 Feb 2000', 'February 8, 2000', '3rd March 1961'].map(isWrittenBirthDate)).toEqual([true, true, true, true, true, true]);
    expect(['1900-02-29', '31/04/2000', 'Feb 30, 2000', '8 Foo 2000', '2000-13-01'].map(isWrittenBirthDate)).toEqual([false, false, false, false, false]);
  });

  it('placeholders are not secrets; weak real passwords are', () => {
    for (const value of ['<password>', '${DB_PASSWORD}', '$DB_PASSWORD', '{{ pw }}', '%(pw)s', '[REDACTED]', '********', 'xxxx-xxxx', 'sk-...', 'your-api-key-here', 'keychain:airlock/db', 'CHANGEME', 'null']) {
      expect(isPlaceholder(value), value).toBe(true);
    }
    expect(looksLikeSecret('hunter2')).toBe(true);
    expect(looksLikeSecret('Tr0ub4dor&3')).toBe(true);
    expect(looksLikeSecret('abcabc')).toBe(false);
    expect(looksLikeSecret('12345')).toBe(false);
  });
});
