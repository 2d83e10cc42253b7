import { shannonEntropy } from './entropy.js';

/** Words people write where a secret would go, in documentation and templates. */
const PLACEHOLDER_WORDS = new Set([
  'changeme', 'change_me', 'change-me', 'password', 'passwd', 'secret', 'redacted', 'null', 'none', 'nil',
  'undefined', 'empty', 'example', 'sample', 'placeholder', 'dummy', 'default', 'hidden', 'masked', 'removed',
  'omitted', 'unset', 'notset', 'not-set', 'todo', 'tbd', 'true', 'false',
]);

/** Shapes of placeholders: templates, references, masks, and truncated examples. */
const PLACEHOLDER_SHAPES: readonly RegExp[] = [
  /^<[^>]*>$/, // <your-password>
  /^\$\{[^}]*\}$/, // ${DB_PASSWORD}
  /^\$[A-Za-z_]\w*$/, // $DB_PASSWORD
  /^\{\{[^}]*\}\}$/, // {{ password }}
  /^%\([^)]*\)s$/, // %(password)s
  /^\[[^\]]*\]$/, // [REDACTED], and what the full style itself writes
  /^[x*•#._-]+$/i, // ********, xxxx-xxxx
  /\.\.\.|…/, // sk-... and other truncated examples
  /^your|[-_.]your[-_]/i, // your-api-key-here, xoxb-your-bot-token
  /^(?:keychain|env|vault|op|file):/, // references to where the secret is kept
];

/** What the masker itself writes: `[EMAIL]` and `<email_1>`. */
const MASKED = /\[[A-Z0-9_]+\]|<[A-Za-z0-9-]+_\d+>/;

/**
 * Whether a value is a placeholder rather than a secret: a template, a reference, a mask, a stock
 * word, or a value the masker has already been through. The last keeps masking idempotent: once
 * `"4111… Bearer"` has become `"[CARD] Bearer"`, what is left must not turn into a secret.
 */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER_WORDS.has(value.toLowerCase()) || PLACEHOLDER_SHAPES.some((shape) => shape.test(value)) || MASKED.test(value);
}

/** Bits per character below which a value is too repetitive to be a secret ("aaaaaa", "abcabc"). */
const MIN_SECRET_ENTROPY = 2.3;

/**
 * Whether an assigned value looks like a real secret: at least 6 characters, not a placeholder, and
 * not repetitive. Weak but real passwords such as "hunter2" pass; "changeme" and "<password>" do not.
 */
export function looksLikeSecret(value: string): boolean {
  // The first few kilobytes tell as much as the whole, which under a `password` key can be megabytes.
  return value.length >= 6 && !isPlaceholder(value) && shannonEntropy(value.slice(0, 4096)) >= MIN_SECRET_ENTROPY;
}
