import type { ReplacementStyle } from './mask-types.js';
import type { TokenVault } from './token-vault.js';

/** Values with fewer letters and digits than this are starred entirely by `partial`: 4 of 6 would give them away. */
const MIN_PARTIAL_LENGTH = 8;
const KEPT = 4;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const STAR = 42;
/** Longest value whose character codes are passed as arguments in one call. */
const MAX_SPREAD = 4096;

/** Letters and digits are starred; so is a surrogate half, as the character it is half of may be a letter. */
function isMaskable(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return (code >= 0xd800 && code <= 0xdfff) || LETTER_OR_DIGIT.test(String.fromCharCode(code));
}

/**
 * Keeps the last four letters or digits and stars the others, keeping separators where they were:
 * `4242 4242 4242 4242` → `**** **** **** 4242`, `+44 20 7946 0958` → `+** ** **** 0958`.
 */
export function partialMask(value: string): string {
  const codes = new Array<number>(value.length);
  const maskable = new Array<boolean>(value.length);
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    codes[i] = value.charCodeAt(i);
    maskable[i] = isMaskable(codes[i]);
    if (maskable[i]) count++;
  }
  let keep = count >= MIN_PARTIAL_LENGTH ? KEPT : 0;
  for (let i = value.length - 1; i >= 0; i--) {
    if (!maskable[i]) continue;
    if (keep > 0) keep--;
    else codes[i] = STAR;
  }
  if (codes.length <= MAX_SPREAD) return String.fromCharCode(...codes);
  return codes.map((code) => String.fromCharCode(code)).join('');
}

/** What a finding is replaced with: `[LABEL]`, a partial mask, or the session's token for the value. */
export function replacementFor(
  style: ReplacementStyle,
  detector: { name: string; label: string },
  value: string,
  tokens: TokenVault,
): string {
  if (style === 'full') return `[${detector.label}]`;
  if (style === 'partial') return partialMask(value);
  return tokens.tokenFor(detector.name, detector.label, value);
}
