import type { Detector, Span } from '../mask-types.js';
import { isPlaceholder, looksLikeSecret } from '../validators/secret-value.js';

/** Names whose value is a secret. A key may have a prefix (`DB_PASSWORD`, `client_secret`, `x-api-key`). */
const SECRET_NAME = '(?:pass(?:word|wd|phrase)|pwd|secret(?:[_-]?key(?:[_-]?base)?)?|api[_-]?key|token)';

/** Pagination and sync "tokens" are cursors, not credentials. */
const CURSOR = '(?:page|continuation|sync|next|cursor|start|resume)[_-]?';
const CURSOR_BEFORE = new RegExp(`${CURSOR}token["']?[ \\t]{0,3}[:=][ \\t]{0,3}["']?$`, 'i');
const SECRET_KEY = new RegExp(`(?<!${CURSOR})${SECRET_NAME}$`, 'i');

/**
 * An unquoted value that is a name in code, not a literal: `process.env.DB_PASSWORD`,
 * `os.environ.get(`, `settings.SECRET_KEY`.
 */
const CODE_REFERENCE = /^[A-Za-z_$][\w$]*\.[\w$.]*[([]?$/;
const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/**
 * An unquoted value without the punctuation that ends the sentence or expression around it: trailing
 * `.`, `,`, `;`, `:`, and closing brackets whose opening one is not in the value.
 */
function withoutTrailingPunctuation(value: string): string {
  let end = value.length;
  for (;;) {
    const last = value[end - 1];
    const opener = OPENER_OF[last];
    if (last === '.' || last === ',' || last === ';' || last === ':') end--;
    else if (opener !== undefined && !value.slice(0, end - 1).includes(opener)) end--;
    else return value.slice(0, end);
  }
}

/**
 * Where a double-quoted value really ends: a `\"` inside it (JSON, most languages) is part of it.
 * Looks no further than the pattern's own bound on a value.
 */
function closingQuote(text: string, quote: number): number {
  let at = quote;
  const limit = Math.min(text.length, quote + 256);
  while (at < limit && escaped(text, at)) {
    const next = text.indexOf('"', at + 1);
    const newline = text.indexOf('\n', at + 1);
    if (next < 0 || next >= limit || (newline >= 0 && newline < next)) return at;
    at = next;
  }
  return at;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function escaped(text: string, at: number): boolean {
  let slashes = 0;
  while (at - slashes > 0 && text.charCodeAt(at - slashes - 1) === 92) slashes++;
  return slashes % 2 === 1;
}

/**
 * The value of `password=…`, `passwd: …`, `secret=…`, `"password": "…"`, `api_key=…`, `token: …`, quoted
 * or not. Only the value is masked; the name stays, so a reader knows what was there.
 */
function valueSpan(match: RegExpExecArray, text: string): Span | undefined {
  const end = match.index + match[0].length;
  if (match[1] !== undefined) return [end - 1 - match[1].length, closingQuote(text, end - 1)];
  if (match[2] !== undefined) return [end - 1 - match[2].length, end - 1];
  const bare = match[3];
  const trimmed = withoutTrailingPunctuation(bare);
  if (CODE_REFERENCE.test(bare) || isPlaceholder(bare) || isPlaceholder(trimmed)) return undefined;
  return [end - bare.length, end - bare.length + trimmed.length];
}

export const passwordAssignment: Detector = {
  name: 'password-assignment',
  label: 'SECRET',
  style: 'full',
  pattern: `${SECRET_NAME}["']?[ \\t]{0,3}[:=][ \\t]{0,3}(?:"([^"\\r\\n]{1,256})"|'([^'\\r\\n]{1,256})'|([^\\s"'\`,;&<>]{1,256}))`,
  flags: 'i',
  prefilter: [':', '='],
  span: valueSpan,
  validate: (value, text, start) => looksLikeSecret(value) && !CURSOR_BEFORE.test(text.slice(Math.max(0, start - 48), start)),
  keyed: {
    key: SECRET_KEY,
    span: (value) => (looksLikeSecret(value) ? [0, value.length] : undefined),
  },
};
