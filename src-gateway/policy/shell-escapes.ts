/** Backslash escapes as bash's `$'…'` and `echo -e` read them. */

const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/**
 * One backslash escape as bash's `$'…'` and `echo -e` read it, starting just past the backslash:
 * the text it stands for and how many characters it used.
 */
export function decodeEscape(text: string, at: number): [string, number] {
  const c = text[at] ?? '';
  if (c in C_ESCAPES) return [C_ESCAPES[c], 1];
  const hex = /^x([0-9a-fA-F]{1,2})/.exec(text.slice(at)) ?? /^u([0-9a-fA-F]{1,4})/.exec(text.slice(at)) ?? /^U([0-9a-fA-F]{1,8})/.exec(text.slice(at));
  if (hex) return [String.fromCodePoint(Number.parseInt(hex[1], 16) % 0x110000), hex[0].length];
  const octal = /^0?([0-7]{1,3})/.exec(text.slice(at));
  if (octal) return [String.fromCharCode(Number.parseInt(octal[1], 8) & 0xff), octal[0].length];
  return [`\\${c}`, c === '' ? 0 : 1];
}
