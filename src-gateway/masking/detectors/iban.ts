import type { Detector, Span } from '../mask-types.js';
import { ANY_DIGIT, isAlnumCode } from '../validators/boundaries.js';
import { ibanLength, isValidIban } from '../validators/iban.js';

/**
 * Reads exactly as many letters and digits as the country's IBAN has, allowing single spaces between
 * groups of four (the printed form), so text after the IBAN is never taken into it.
 */
function ibanSpan(match: RegExpExecArray, text: string): Span | undefined {
  const length = ibanLength(match[0].slice(0, 2));
  if (length === undefined) return undefined;
  let count = 0;
  let i = match.index;
  while (count < length && i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 32 && count % 4 === 0 && count > 0 && i + 1 < text.length && isAlnumCode(text.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    if (!((code >= 48 && code <= 57) || (code >= 65 && code <= 90))) return undefined;
    count++;
    i++;
  }
  if (count < length || (i < text.length && isAlnumCode(text.charCodeAt(i)))) return undefined;
  return [match.index, i];
}

export const iban: Detector = {
  name: 'iban',
  label: 'IBAN',
  style: 'partial',
  pattern: '(?<![A-Za-z0-9])[A-Z]{2}\\d{2}[A-Z0-9 ]{11,40}',
  prefilter: ANY_DIGIT,
  span: ibanSpan,
  validate: (value) => isValidIban(value.replace(/ /g, '')),
};
