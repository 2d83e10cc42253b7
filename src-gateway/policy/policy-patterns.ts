/** A compiled test of one string: a glob, a list of globs, or a regular expression. */
export type StringTest = (value: string) => boolean;

const ANYTHING: StringTest = () => true;

/**
 * Compiles one glob or a list of them (any may match) into a single test. `*` matches any run of
 * characters, `/` included, so `file:///home/*` covers a whole tree; `?` matches one character.
 * Matching is anchored and case-sensitive. Plain names, the common case, become string comparisons.
 */
export function compileGlobs(globs: string | readonly string[]): StringTest {
  const list = typeof globs === 'string' ? [globs] : globs;
  if (list.includes('*')) return ANYTHING;
  if (list.every((glob) => !isWildcard(glob))) {
    if (list.length === 1) {
      const only = list[0];
      return (value) => value === only;
    }
    const names = new Set(list);
    return (value) => names.has(value);
  }
  const regex = new RegExp(`^(?:${list.map(globSource).join('|')})$`, 'su');
  return (value) => regex.test(value);
}

function isWildcard(glob: string): boolean {
  return glob.includes('*') || glob.includes('?');
}

function globSource(glob: string): string {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.*+?()[\]{}|/]/, '\\$&');
  }
  return source;
}

const INLINE_FLAGS = /^\(\?([a-zA-Z]+)\)/;
const SUPPORTED_FLAGS = new Set(['i', 'm', 's']);

/**
 * Compiles a policy author's regular expression. Authors write PCRE style, so a leading inline-flag
 * group such as `(?i)` or `(?is)` becomes the JavaScript flags; the rest is a JavaScript pattern.
 * The regex searches (it is not anchored unless the pattern says `^…$`).
 * @throws SyntaxError naming the problem when the pattern does not compile or uses another flag.
 */
export function compileRegex(pattern: string): RegExp {
  const inline = INLINE_FLAGS.exec(pattern);
  const flags = new Set(inline ? inline[1] : '');
  for (const flag of flags) {
    if (!SUPPORTED_FLAGS.has(flag)) throw new SyntaxError(`inline flag "${flag}" is not supported; use i, m or s, as in (?i)`);
  }
  return new RegExp(inline ? pattern.slice(inline[0].length) : pattern, [...flags].join(''));
}
