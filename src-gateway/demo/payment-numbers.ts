import type { Customer } from './customers.js';
import { digits, pad, pick, type Random } from './seeded-random.js';

/** Issuer prefixes from the numbers card networks and payment processors publish for testing. */
const CARD_RANGES = {
  visa: { prefixes: ['411111', '424242', '401288', '400000'], length: 16, groups: [4, 4, 4, 4] },
  mastercard: { prefixes: ['555555', '510510', '222300', '520082'], length: 16, groups: [4, 4, 4, 4] },
  amex: { prefixes: ['378282', '371449', '378734'], length: 15, groups: [4, 6, 5] },
} as const;

/** The digit that makes `payload` + digit pass the Luhn check. */
function luhnCheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function cardNumber(r: Random, brand: Customer['card_brand']): string {
  const range = CARD_RANGES[brand];
  const payload = pick(r, range.prefixes) + digits(r, range.length - 7);
  const number = `${payload}${luhnCheckDigit(payload)}`;
  // Half the records keep the spaces people type, so detectors see both shapes.
  if (r() < 0.5) return number;
  let at = 0;
  return range.groups.map((size) => number.slice(at, (at += size))).join(' ');
}

/** ISO 7064 mod 97-10 over the IBAN's digit form (A=10 … Z=35), computed piecewise to stay exact. */
function mod97(text: string): number {
  const numeric = [...text].map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch)).join('');
  let remainder = 0;
  for (const ch of numeric) remainder = (remainder * 10 + Number(ch)) % 97;
  return remainder;
}

/** A French BBAN ends in the RIB key, which French banks check as well. */
function frenchBban(r: Random): string {
  const bank = pick(r, ['20041', '30004', '30003', '10096']);
  const branch = digits(r, 5);
  const account = digits(r, 11);
  const key = 97 - ((89 * Number(bank) + 15 * Number(branch) + 3 * Number(account)) % 97);
  return `${bank}${branch}${account}${pad(key, 2)}`;
}

export const BBAN: Record<'GB' | 'DE' | 'FR' | 'NL', (r: Random) => string> = {
  GB: (r) => {
    const [bank, sortPrefix] = pick(r, [['NWBK', '60'], ['BARC', '20'], ['HBUK', '40'], ['LOYD', '30']] as const);
    return `${bank}${sortPrefix}${digits(r, 4)}${digits(r, 8)}`;
  },
  DE: (r) => `${pick(r, ['37040044', '50010517', '10070000', '20040000'])}${digits(r, 10)}`,
  FR: frenchBban,
  NL: (r) => `${pick(r, ['ABNA', 'INGB', 'RABO', 'TRIO'])}${digits(r, 10)}`,
};

export function iban(r: Random, country: keyof typeof BBAN): string {
  const bban = BBAN[country](r);
  const check = pad(98 - mod97(`${bban}${country}00`), 2);
  const electronic = `${country}${check}${bban}`;
  return r() < 0.5 ? electronic : electronic.replace(/(.{4})/g, '$1 ').trim();
}
