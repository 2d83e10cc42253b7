/**
 * What masking writes in place of a value (src-gateway/masking/replacement.ts): a session token
 * `<email_1>`, a full-style label `[EMAIL]` or `[REDACTED: …]`, or a partial mask that stars letters
 * and digits but the last four, or all of them in a short value (`**** **** **** 4242`,
 * `*****@******e.com`, `****`). A partial mask needs four stars (what eight or more letters and
 * digits leave, and the fewest a built-in detector's short value gets), so `**bold**` and globs
 * are not taken for one.
 */
const REPLACEMENT =
  /<[A-Za-z0-9][\w-]*_\d+>|\[[A-Z][A-Z0-9_]{0,31}(?::[^\]\n]{0,200})?\]|[+(]?\*(?:[ ()\-./+@_:]*\*)*(?:(?:[ ()\-./+@_:]?[\p{L}\p{N}]){4}(?![\p{L}\p{N}]))?/gu;

const MIN_STARS = 4;

/** The `[start, end)` spans of masked replacements in a text, in order. */
export function maskedSpans(text: string): Array<[start: number, end: number]> {
  const spans: Array<[number, number]> = [];
  for (const match of text.matchAll(REPLACEMENT)) {
    const found = match[0];
    const isPartial = !found.startsWith('<') && !found.startsWith('[');
    if (isPartial && (found.match(/\*/g)?.length ?? 0) < MIN_STARS) continue;
    spans.push([match.index, match.index + found.length]);
  }
  return spans;
}
