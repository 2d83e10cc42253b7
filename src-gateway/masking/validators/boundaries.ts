/** A prefilter for patterns that need a digit: ten single-character searches, each nearly free. */
export const ANY_DIGIT: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Whether the UTF-16 code is an ASCII letter, digit or underscore (a `\w` character). */
export function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Whether the UTF-16 code is an ASCII letter or digit. */
export function isAlnumCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Whether the value at `[start, end)` of `text` stands alone: the characters on either side (if any)
 * are not among those `inside` accepts. Patterns check this in code, not in a lookbehind, so their
 * literal prefixes stay fast to search for.
 */
export function standsAlone(text: string, start: number, end: number, inside: (code: number) => boolean): boolean {
  return (start === 0 || !inside(text.charCodeAt(start - 1))) && (end >= text.length || !inside(text.charCodeAt(end)));
}
