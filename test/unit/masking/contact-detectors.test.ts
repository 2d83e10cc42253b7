import { describe, expect, it } from 'vitest';
import { found } from './detector-findings.js';

describe('email', () => {
  it.each([
    ['write to ana.lopez@example.com today', ['ana.lopez@example.com']],
    ['Jane.Doe@Acme-corp.com', ['Jane.Doe@Acme-corp.com']],
    ['jane+billing@mail.northwind.io, hr.payroll@globex.co.uk', ['jane+billing@mail.northwind.io', 'hr.payroll@globex.co.uk']],
    ['<mailto:ops-alerts@tailspin.com>', ['ops-alerts@tailspin.com']],
    ['send it to ana@example.com.', ['ana@example.com']],
    ['{"email":"zoe.obrien@example.net"}', ['zoe.obrien@example.net']],
    ['punycode@xn--bcher-kva.example', ['punycode@xn--bcher-kva.example']],
    ['punycode@example.xn--p1ai', ['punycode@example.xn--p1ai']],
  ])('finds the address in %j', (text, expected) => {
    expect(found('email', text)).toEqual(expected);
  });

  it.each([
    ['user@localhost'],
    ['a@b.c'],
    ['@example.com'],
    ['name@-bad.com'],
    ['name@bad-.com'],
    ['.@example.com'],
    ['postgres://app@db.internal:5432/orders'],
    ['git@github'],
    ['npm install @scope/package@1.2.3'],
    [`${'a'.repeat(65)}@example.com`],
  ])('finds nothing in %j', (text) => {
    expect(found('email', text)).toEqual([]);
  });
});

describe('phone', () => {
  it.each([
    ['call +44 20 7946 0958 now', ['+44 20 7946 0958']],
    ['+14155550123', ['+14155550123']],
    ['+1 (415) 555-0123', ['+1 (415) 555-0123']],
    ['(415) 555-0123', ['(415) 555-0123']],
    ['415-555-0123 or 415.555.0123', ['415-555-0123', '415.555.0123']],
    ['020 7946 0958', ['020 7946 0958']],
    ['07700 900123', ['07700 900123']],
    ['+49 30 12345678 / 030 12345678', ['+49 30 12345678', '030 12345678']],
    ['06.12.34.56.78', ['06.12.34.56.78']],
    ['+33 1 99 00 12 34', ['+33 1 99 00 12 34']],
    ['+44 (0)20 7946 0958', ['+44 (0)20 7946 0958']],
    ['procurement (020 7946 0000).', ['020 7946 0000']],
    ['tickets 12 34 020 7946 0958', ['020 7946 0958']],
    ['020 7946 0958 07700 900123', ['020 7946 0958', '07700 900123']],
  ])('finds the number in %j', (text, expected) => {
    expect(found('phone', text)).toEqual(expected);
  });

  it.each([
    ['ORD-2024-000123'],
    ['2024-05-12T12:30:07Z'],
    ['123-45-6789'],
    ['192.168.100.200'],
    ['version 1.2.3.4'],
    ['978-0-123-45678-9'],
    ['4500123456'],
    ['12345-6789'],
    ['0.12345678901'],
    ['01.02.2024'],
    ['1,234,567'],
    ['5583 0707 7668 9479'],
    ['IBAN ES09 0306 3072 4012 6962 7589'],
    ['+02:00'],
    ['415-555-0123abc'],
    ['1700000000000'],
  ])('finds nothing in %j', (text) => {
    expect(found('phone', text)).toEqual([]);
  });
});
