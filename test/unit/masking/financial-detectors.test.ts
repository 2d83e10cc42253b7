import { describe, expect, it } from 'vitest';
import { found } from './detector-findings.js';

describe('card', () => {
  it.each([
    ['4242 4242 4242 4242', ['4242 4242 4242 4242']],
    ['visa 4111111111111111, exp 12/27', ['4111111111111111']],
    ['5555-5555-5555-4444', ['5555-5555-5555-4444']],
    ['2223 0031 2200 3222', ['2223 0031 2200 3222']],
    ['amex 3782 822463 10005', ['3782 822463 10005']],
    ['diners 3056 930902 5904', ['3056 930902 5904']],
    ['6011111111111117', ['6011111111111117']],
    ['3530111333300000', ['3530111333300000']],
    ['2023-08-17T12:48:40Z,6011000990139424,603.77,EUR', ['6011000990139424']],
    ['4242 4242 4242 4242 12/25', ['4242 4242 4242 4242']],
    ['born 2000 4242 4242 4242 4242', ['4242 4242 4242 4242']],
  ])('finds the card in %j', (text, expected) => {
    expect(found('card', text)).toEqual(expected);
  });

  it.each([
    ['4242 4242 4242 4243', 'Luhn-invalid'],
    ['4111111111111112', 'Luhn-invalid'],
    ['1234 5678 9012 3456', 'no issuer starts with 1'],
    ['0000 0000 0000 0000', 'no issuer starts with 0'],
    ['7000000000000006', 'no issuer starts with 7'],
    ['4242-4242 4242-4242', 'separators differ'],
    ['42424242424242424242', 'a 20-digit number'],
    ['1700000000000', 'an epoch in milliseconds'],
    ['550e8400-e29b-41d4-a716-446655440000', 'a UUID'],
    ['0.4242424242424242', 'a decimal'],
    ['ORD4242424242424242', 'part of a word'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('card', text)).toEqual([]);
  });
});

describe('iban', () => {
  it.each([
    ['GB82 WEST 1234 5698 7654 32', ['GB82 WEST 1234 5698 7654 32']],
    ['GB82WEST12345698765432 is mine', ['GB82WEST12345698765432']],
    ['DE89 3704 0044 0532 0130 00 and more', ['DE89 3704 0044 0532 0130 00']],
    ['FR14 2004 1010 0505 0001 3M02 606', ['FR14 2004 1010 0505 0001 3M02 606']],
    ['NL91ABNA0417164300', ['NL91ABNA0417164300']],
    ['"iban": "BE68539007547034"', ['BE68539007547034']],
  ])('finds the IBAN in %j', (text, expected) => {
    expect(found('iban', text)).toEqual(expected);
  });

  it.each([
    ['GB82 WEST 1234 5698 7654 33', 'mod-97 fails'],
    ['DE89 3704 0044 0532 0130', 'too short for DE'],
    ['DE89370400440532013000123', 'too long for DE'],
    ['XX82 WEST 1234 5698 7654 32', 'no such country'],
    ['GB82 WE ST12 3456 9876 5432', 'spaces not in fours'],
    ['gb82 west 1234 5698 7654 32', 'lower case'],
    ['DEUTDEFF', 'a BIC'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('iban', text)).toEqual([]);
  });
});

describe('us-ssn', () => {
  it.each([
    ['SSN 123-45-6789.', ['123-45-6789']],
    ['ssn: 078-05-1120', ['078-05-1120']],
    ['899-99-9999', ['899-99-9999']],
  ])('finds the number in %j', (text, expected) => {
    expect(found('us-ssn', text)).toEqual(expected);
  });

  it.each([
    ['000-12-3456', 'area 000'],
    ['666-12-3456', 'area 666'],
    ['912-12-3456', 'area 9xx'],
    ['123-00-4567', 'group 00'],
    ['123-45-0000', 'serial 0000'],
    ['123456789', 'no dashes'],
    ['123 45 6789', 'spaces'],
    ['ORD-123-45-6789', 'part of a longer id'],
    ['2024-123-45-6789', 'part of a longer id'],
    ['12345-6789', 'a ZIP+4 code'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(found('us-ssn', text)).toEqual([]);
  });
});
