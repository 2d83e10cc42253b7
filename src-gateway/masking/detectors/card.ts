import type { Detector } from '../mask-types.js';
import { ANY_DIGIT } from '../validators/boundaries.js';
import { isCardNumber } from '../validators/card-issuers.js';

/**
 * Card numbers as people write them: 4-4-4-4 (and 4-4-4-1..3 for 13–15 digits), American Express
 * and Diners 4-6-5 and 4-6-4, each with one separator used throughout, or 13–19 digits together.
 * Issuers' numbers start with 2 to 6. The issuer prefix, the length and the Luhn check decide.
 */
export const card: Detector = {
  name: 'card',
  label: 'CARD',
  style: 'partial',
  pattern:
    '(?<![\\w.+-])(?:[2-6]\\d{3}([ -]?)\\d{4}\\1\\d{4}\\1\\d{1,4}|3\\d{3}([ -]?)\\d{6}\\2\\d{4,5}|[2-6]\\d{12,18})(?!\\d|\\.\\d)',
  prefilter: ANY_DIGIT,
  rescanRefused: true,
  validate: (value) => isCardNumber(value.length > 19 || value.includes(' ') || value.includes('-') ? value.replace(/[ -]/g, '') : value),
};
