import type { Detector, Span } from '../mask-types.js';

const MAX_LOCAL = 64;

function isLocalCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) ||
    code === 46 || code === 95 || code === 37 || code === 43 || code === 45 // . _ % + -
  );
}

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * The length of the valid domain at the start of `domain` (letters, digits, "-" and "." as the
 * pattern took them), or 0: labels of 1–63 characters that neither start nor end with "-", at least
 * two of them, the last all letters (2–24) or punycode. A trailing "." or "-" ends the sentence.
 */
function domainLength(domain: string): number {
  let end = domain.length;
  while (end > 0 && (domain.charCodeAt(end - 1) === 46 || domain.charCodeAt(end - 1) === 45)) end--;
  let labels = 0;
  let labelStart = 0;
  for (let i = 0; i <= end; i++) {
    if (i < end && domain.charCodeAt(i) !== 46) continue;
    const length = i - labelStart;
    if (length === 0 || length > 63 || domain.charCodeAt(labelStart) === 45 || domain.charCodeAt(i - 1) === 45) return 0;
    labels++;
    if (i === end) {
      const top = domain.slice(labelStart, end);
      const letters = [...top].every((char) => isLetter(char.charCodeAt(0)));
      if (!(letters && length >= 2 && length <= 24) && !top.startsWith('xn--')) return 0;
    }
    labelStart = i + 1;
  }
  return labels >= 2 ? end : 0;
}

/**
 * The pattern matches from the `@` on, which the regex engine finds fast; the local part is found by
 * looking back at most 64 characters, and the domain is checked label by label.
 */
function emailSpan(match: RegExpExecArray, text: string): Span | undefined {
  const at = match.index;
  let start = at;
  while (start > 0 && at - start <= MAX_LOCAL && isLocalCode(text.charCodeAt(start - 1))) start--;
  if (at - start > MAX_LOCAL) return undefined;
  while (start < at && text.charCodeAt(start) === 46) start++; // a local part does not start with "."
  if (start === at || text.charCodeAt(at - 1) === 46) return undefined;
  if (start >= 2 && text.charCodeAt(start - 1) === 47 && text.charCodeAt(start - 2) === 47) return undefined; // scheme://user@host
  const length = domainLength(match[0].slice(1));
  return length === 0 ? undefined : [start, at + 1 + length];
}

export const email: Detector = {
  name: 'email',
  label: 'EMAIL',
  style: 'token',
  pattern: '@[A-Za-z0-9][A-Za-z0-9.-]{0,252}',
  prefilter: ['@'],
  span: emailSpan,
};
