/** More terms than this are ignored: a search box does not need them, and each one costs a lookup. */
const MAX_TERMS = 16;

/** Characters the index's tokenizer (unicode61) keeps in words; everything else separates them. */
const WORD_CHARACTER = /[\p{L}\p{N}\p{Co}]/u;

/**
 * Turns what a person typed into an FTS5 query that cannot be a syntax error: each term (split at
 * whitespace and control characters) becomes a quoted phrase (quotes doubled) matching words that
 * start with it, and all terms must match. Terms without a word character could never match and
 * are dropped; when nothing is left the answer is undefined, meaning "matches nothing".
 */
export function toMatchQuery(text: string): string | undefined {
  const terms = text
    // Control characters separate terms too: a NUL inside a quoted FTS5 string ends it early.
    .split(/[\s\p{Cc}]+/u)
    .filter((term) => WORD_CHARACTER.test(term))
    .slice(0, MAX_TERMS)
    .map((term) => `"${term.replaceAll('"', '""')}"*`);
  return terms.length ? terms.join(' ') : undefined;
}
