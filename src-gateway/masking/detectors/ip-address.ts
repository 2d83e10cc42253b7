import type { Detector, Span } from '../mask-types.js';
import { ANY_DIGIT, isAlnumCode, isWordCode } from '../validators/boundaries.js';
import { isIpv4, isIpv6 } from '../validators/ip-address.js';

/** Keys whose values are versions, which can be shaped exactly like an IPv4 address. */
const VERSION_KEY = /(?:version|build|release|revision|firmware)$/i;
const VERSION_WORDS = new Set(['version', 'ver', 'build', 'release', 'revision', 'rev', 'firmware']);
/** Spaces, quotes, `:`, `=` and `#`, which may sit between a version word and the version. */
const SKIPPED_BEFORE = new Set([9, 10, 13, 32, 34, 39, 96, 58, 61, 35]);

/**
 * A four-part version such as 1.2.3.4 IS a valid IPv4 address, so the text decides: after a version
 * word (`version 1.2.3.4`, `APP_VERSION=`, `"Version": "`, `appVersion:`), a product token
 * (`Chrome/120.0.0.0`) or a `v` (which the pattern's lookbehind already refuses), it is a version and
 * stays; everywhere else it is an address.
 */
function isAddressNotVersion(value: string, text: string, start: number): boolean {
  if (!isIpv4(value)) return false;
  let i = start - 1;
  while (i >= 0 && SKIPPED_BEFORE.has(text.charCodeAt(i))) i--;
  if (i < 0) return true;
  // Chrome/120.0.0.0 is a product token; http://10.0.0.1 is an address.
  if (text.charCodeAt(i) === 47) return !(i === start - 1 && i > 0 && isAlnumCode(text.charCodeAt(i - 1)));
  let from = i;
  while (from > 0 && i - from < 32 && isAlnumCode(text.charCodeAt(from - 1))) from--;
  const word = text.slice(from, i + 1);
  // In camelCase the last part is the word: appVersion → Version.
  const camel = /[A-Z][a-z]+$/.exec(word)?.[0] ?? word;
  return !VERSION_WORDS.has(word.toLowerCase()) && !VERSION_WORDS.has(camel.toLowerCase());
}

export const ipv4: Detector = {
  name: 'ipv4',
  label: 'IPV4',
  style: 'full',
  pattern: '(?<![\\w.])\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(?!\\w|\\.\\d)',
  prefilter: ANY_DIGIT,
  validate: isAddressNotVersion,
  notUnderKey: VERSION_KEY,
};

const isHexCode = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);

/**
 * The pattern starts at the first colon, which is cheap to find; up to four hex digits before it
 * belong to the address too. A trailing "." ends a sentence and a lone trailing ":" leads to a port
 * or to prose, so neither is part of the address.
 */
function ipv6Span(match: RegExpExecArray, text: string): Span | undefined {
  let start = match.index;
  while (start > 0 && match.index - start < 4 && isHexCode(text.charCodeAt(start - 1))) start--;
  if (start > 0) {
    const before = text.charCodeAt(start - 1);
    if (isWordCode(before) || before === 58 || before === 46) return undefined; // : .
  }
  let end = match.index + match[0].length;
  while (text.charCodeAt(end - 1) === 46) end--;
  if (text.charCodeAt(end - 1) === 58 && text.charCodeAt(end - 2) !== 58) end--;
  if (end < text.length && isWordCode(text.charCodeAt(end))) return undefined;
  return end > start ? [start, end] : undefined;
}

/**
 * Real addresses have three groups or more, or use `::` with a digit (`::1`, `fe80::1`); `a::b` is
 * code. Counted in one pass before the full parse, since bait such as `a::a::…` comes in millions.
 */
function isPlausibleIpv6(value: string): boolean {
  let groups = 0;
  let digit = false;
  let inGroup = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 58) {
      inGroup = false;
      continue;
    }
    if (!inGroup) groups++;
    inGroup = true;
    if (code >= 48 && code <= 57) digit = true;
  }
  return (groups >= 3 || (digit && value.includes('::'))) && isIpv6(value);
}

export const ipv6: Detector = {
  name: 'ipv6',
  label: 'IPV6',
  style: 'full',
  pattern: ':[0-9A-Fa-f:.]{1,44}',
  prefilter: [':'],
  span: ipv6Span,
  validate: isPlausibleIpv6,
};
