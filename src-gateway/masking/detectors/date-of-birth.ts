import type { Detector, Span } from '../mask-types.js';
import { ANY_DIGIT } from '../validators/boundaries.js';
import { isWrittenBirthDate } from '../validators/calendar-date.js';

const MONTH =
  '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const ORDINAL = '(?:st|nd|rd|th)?';

/** ISO 2000-02-08, 08/02/2000 (also with . or -), 8 Feb 2000, February 8, 2000. */
const DATE =
  `\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{4}|\\d{1,2}${ORDINAL} ${MONTH}\\.?,? \\d{4}|${MONTH}\\.? \\d{1,2}${ORDINAL},? \\d{4}`;
const KEYWORD = '(?<![A-Za-z])(?:dob|d\\.o\\.b\\.?|date[ _-]?of[ _-]?birth|birth[ _-]?date|birthday|born)(?![A-Za-z])';

/** At most this many characters between the keyword and the date. */
const GAP = 40;

const dateAtStart = new RegExp(`^[\\s"':=]{0,${GAP}}(${DATE})(?!\\d)`, 'i');

/** Under a key such as `date_of_birth`, `dob` or `birthDate`, the value's leading date is the birth date. */
function keyedDateSpan(value: string): Span | undefined {
  const match = dateAtStart.exec(value);
  if (match === null) return undefined;
  const end = match[0].length;
  return [end - match[1].length, end];
}

/**
 * Only a date that follows a birth keyword within 40 characters on the same line, and only the date
 * is masked: the keyword tells a birth date from every other date in the text. A `]` in between means
 * a masked value sits there (`born [PRIVATE_KEY] 8 Feb 2000`): masking shortened the gap, and what was
 * too far away before must stay too far away.
 */
export const dateOfBirth: Detector = {
  name: 'date-of-birth',
  label: 'DOB',
  style: 'full',
  pattern: `${KEYWORD}[^\\n\\]]{0,${GAP}}?(?<!\\d)(${DATE})(?!\\d)`,
  flags: 'i',
  prefilter: ANY_DIGIT,
  span: (match) => [match.index + match[0].length - match[1].length, match.index + match[0].length],
  validate: isWrittenBirthDate,
  keyed: { key: /(?:dob|date[ _-]?of[ _-]?birth|birth[ _-]?date|birthday|born(?:[ _-]?on)?)$/i, span: keyedDateSpan },
};
