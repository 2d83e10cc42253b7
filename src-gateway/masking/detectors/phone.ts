import type { Detector, Span } from '../mask-types.js';
import { ANY_DIGIT, isWordCode } from '../validators/boundaries.js';

/** A run of digits, with the parentheses around it if any, and the separator in front of it. */
interface Group {
  start: number;
  end: number;
  digits: string;
  /** The character between this group and the one before: ' ', '-', '.', '' after ")", or '' for the first. */
  before: string;
}

/** Longest stretch of text one number is read from; longer runs are several numbers or none. */
const MAX_RUN = 40;
/** A block of four letters or digits (with a digit) just before: "DE46 2813 …", "5583 0707 …". */
const BLOCK_BEFORE = /(?:^|[^A-Z0-9])(?=[A-Z]{0,3}\d)[A-Z0-9]{4} $/;

const isDigit = (code: number) => code >= 48 && code <= 57;

/** Splits the run of digits and separators at `from` into groups, stopping at anything irregular. */
function readGroups(text: string, from: number): Group[] {
  const limit = Math.min(text.length, from + MAX_RUN);
  const groups: Group[] = [];
  let i = from;
  let before = '';
  while (i < limit) {
    const open = text.charCodeAt(i) === 40; // (
    const digitsFrom = open ? i + 1 : i;
    let j = digitsFrom;
    while (j < limit && isDigit(text.charCodeAt(j))) j++;
    if (j === digitsFrom) break;
    const digits = text.slice(digitsFrom, j);
    if (open) {
      if (text.charCodeAt(j) !== 41) break; // )
      j++;
    }
    groups.push({ start: i, end: j, digits, before });
    const next = text.charCodeAt(j);
    if (open && isDigit(next)) {
      before = ''; // "(0)20 7946 0958"
      i = j;
    } else if (next === 32 || next === 45 || next === 46) {
      before = text[j];
      i = j + 1;
    } else {
      break;
    }
  }
  return groups;
}

/** Whether groups `[first, last]` form one number: international, national with a trunk 0, or NANP 3-3-4. */
function isPhone(groups: readonly Group[], first: number, last: number, international: boolean): boolean {
  let count = 0;
  for (let g = first; g <= last; g++) count += groups[g].digits.length;
  const lead = groups[first].digits;
  const second = lead.length > 1 ? lead[1] : groups[first + 1]?.digits[0];
  if (international) return lead[0] !== '0' && count >= 8 && count <= 15;
  if (lead[0] === '0') {
    if (last === first) return false;
    if (second === '0') return count >= 10 && count <= 17; // 00 and an international number
    // "0.5" is a decimal; a national number opens with the trunk 0 and an area code together.
    return lead.length >= 2 && count >= 10 && count <= 12;
  }
  return (
    last - first === 2 && lead.length === 3 && groups[first + 1].digits.length === 3 && groups[last].digits.length === 4 &&
    lead[0] >= '2' && groups[first + 1].digits[0] >= '2'
  );
}

/**
 * Blocks of four are how cards and IBANs are written, valid or not: a number that opens with a block
 * of four right after another block ("DE46 2813 0204 9727 88", "5583 0707 7668 9479") is part of one.
 */
function continuesBlocks(groups: readonly Group[], first: number, blockBefore: boolean): boolean {
  if (groups[first].digits.length !== 4) return false;
  return first === 0 ? blockBefore : groups[first - 1].digits.length === 4;
}

function fourBlocks(groups: readonly Group[], first: number, last: number): number {
  let count = 0;
  for (let g = first; g <= last; g++) if (groups[g].digits.length === 4) count++;
  return count;
}

/**
 * The first phone number in the run at `from`: the longest sequence of groups that reads as one. A
 * number may start or end inside a run only at a space, since "-" and "." bind a token together (an
 * ISBN or a version is not a phone number with something around it).
 */
function phoneAt(text: string, from: number): Span | undefined {
  const plus = text.charCodeAt(from) === 43; // +
  const groups = readGroups(text, plus ? from + 1 : from);
  const blockBefore = BLOCK_BEFORE.test(text.slice(Math.max(0, from - 6), from));
  for (let first = 0; first < groups.length; first++) {
    if (first > 0 && groups[first].before !== ' ') continue;
    if (continuesBlocks(groups, first, blockBefore)) continue;
    for (let last = groups.length - 1; last >= first; last--) {
      if (last < groups.length - 1 && groups[last + 1].before !== ' ') continue;
      const end = groups[last].end;
      if (end < text.length && isWordCode(text.charCodeAt(end))) continue;
      const international = plus && first === 0;
      if (fourBlocks(groups, first, last) < 4 && isPhone(groups, first, last, international)) {
        return [international ? from : groups[first].start, end];
      }
    }
  }
  return undefined;
}

/** A "(" may open an area code, "(415) 555-0123", or a remark, "(020 7946 0000)". */
function phoneSpan(match: RegExpExecArray, text: string): Span | undefined {
  const span = phoneAt(text, match.index);
  return span === undefined && text.charCodeAt(match.index) === 40 ? phoneAt(text, match.index + 1) : span;
}

export const phone: Detector = {
  name: 'phone',
  label: 'PHONE',
  style: 'partial',
  // Only where a number can start: +country, (area, a trunk 0, or a whole NANP 3-3-4.
  pattern: '(?<![\\w+.\\/-])(?:\\+[1-9]|\\(\\d|0\\d|[2-9]\\d{2}[ .-]\\d{3}[ .-]\\d{4}(?!\\d))',
  prefilter: ANY_DIGIT,
  span: phoneSpan,
};
