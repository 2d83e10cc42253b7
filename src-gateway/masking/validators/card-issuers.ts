import { passesLuhn } from './luhn.js';

/** [first prefix, last prefix, lengths]: issuer ranges as the card networks publish them. */
const ISSUER_RANGES: readonly [string, string, readonly number[]][] = [
  ['4', '4', [13, 16, 19]], // Visa
  ['51', '55', [16]], // Mastercard
  ['2221', '2720', [16]], // Mastercard 2-series
  ['34', '34', [15]], // American Express
  ['37', '37', [15]],
  ['6011', '6011', [16, 17, 18, 19]], // Discover
  ['644', '649', [16, 17, 18, 19]],
  ['65', '65', [16, 17, 18, 19]],
  ['3528', '3589', [16, 17, 18, 19]], // JCB
  ['300', '305', [14, 15, 16, 17, 18, 19]], // Diners Club
  ['36', '36', [14, 15, 16, 17, 18, 19]],
  ['38', '39', [14, 15, 16, 17, 18, 19]],
  ['62', '62', [16, 17, 18, 19]], // UnionPay
  ['2200', '2204', [16, 17, 18, 19]], // Mir
  ['5018', '5018', [13, 14, 15, 16, 17, 18, 19]], // Maestro
  ['5020', '5020', [13, 14, 15, 16, 17, 18, 19]],
  ['5038', '5038', [13, 14, 15, 16, 17, 18, 19]],
  ['5893', '5893', [13, 14, 15, 16, 17, 18, 19]],
  ['6304', '6304', [13, 14, 15, 16, 17, 18, 19]],
  ['6759', '6759', [13, 14, 15, 16, 17, 18, 19]],
  ['6761', '6763', [13, 14, 15, 16, 17, 18, 19]],
];

/** Whether `digits` starts with a known issuer prefix, has that issuer's length, and passes Luhn. */
export function isCardNumber(digits: string): boolean {
  for (const [first, last, lengths] of ISSUER_RANGES) {
    if (!lengths.includes(digits.length)) continue;
    const prefix = digits.slice(0, first.length);
    if (prefix >= first && prefix <= last) return passesLuhn(digits);
  }
  return false;
}
