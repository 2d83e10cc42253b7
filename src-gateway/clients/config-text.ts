import { ClientConfigError } from './client-spec.js';

export interface ParsedConfig {
  doc: Record<string, unknown>;
  /** The indent to write back with, as the file had it. */
  indent: string | number;
  /** Whether comments or trailing commas were dropped to read it (they are not written back). */
  hadComments: boolean;
}

/**
 * Reads a client's config. An empty file is an empty config. With `comments`, `//` and `/* *\/`
 * comments and trailing commas outside strings are removed first (JSONC, as VS Code writes it);
 * what is left must then be plain JSON, or the file is refused and left alone.
 */
export function parseConfigText(text: string, file: string, comments: boolean): ParsedConfig {
  const indent = detectIndent(text);
  if (text.trim() === '') return { doc: {}, indent, hadComments: false };
  const json = comments ? stripJsonc(text) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (error) {
    const kind = comments ? 'JSON (comments allowed)' : 'JSON';
    throw new ClientConfigError(`${file} is not valid ${kind}: ${(error as Error).message}. It was not changed; fix it first`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new ClientConfigError(`${file} does not hold a JSON object. It was not changed`);
  }
  return { doc: doc as Record<string, unknown>, indent, hadComments: json !== text };
}

/** The config as it is written back: the file's indent, ending with a newline. */
export function formatConfig(doc: Record<string, unknown>, indent: string | number): string {
  return JSON.stringify(doc, null, indent) + '\n';
}

function detectIndent(text: string): string | number {
  const match = /^([ \t]+)"/m.exec(text);
  return match ? match[1] : 2;
}

/**
 * Removes comments and trailing commas, scanning strings with their escapes so that `//` inside a
 * URL is kept. An unterminated comment or string leaves the text for JSON.parse to refuse.
 */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return text; // unterminated: refused as it stands
      i = end + 2;
    } else if (c === ',') {
      // A trailing comma: only whitespace and comments before the closing bracket.
      const next = text[skipBlank(text, i + 1)];
      if (next !== '}' && next !== ']') out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index of the next character that is not whitespace or inside a comment. */
function skipBlank(text: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return text.length;
      i = end + 2;
    } else {
      return i;
    }
  }
}
