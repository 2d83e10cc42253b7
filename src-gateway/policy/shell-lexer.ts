import { decodeEscape } from './shell-escapes.js';
import type { ShellLexed, ShellRedirect, ShellToken, ShellWord } from './shell-tokens.js';

/**
 * A lexer for POSIX/bash command lines, written for policy matching rather than execution: it removes
 * quoting the way the shell does (`r''m`, `"r"m` and `\rm` are all `rm`), turns `$IFS` into the word
 * break it is, and records what it cannot know (a variable's value, a command substitution's output)
 * instead of guessing. Anything it cannot read with confidence is reported in `uncertain`.
 */

const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')'];
const IFS_EXPANSION = /^\$(?:IFS|\{IFS(?:[:%#/][^}]*)?\})/;
const NAME_EXPANSION = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/;

class Uncertain extends Error {}

/** How deep `${…${…}…}` may nest before the text counts as unreadable. */
const MAX_NESTING = 16;

/** Splits a command line into words, operators and redirections. Never throws. */
export function lexShell(text: string, nesting = 0): ShellLexed {
  const tokens: ShellToken[] = [];
  const substitutions: string[] = [];
  const heredocs: { redirect: ShellRedirect; delimiter: string; strip: boolean; quoted: boolean }[] = [];
  let word: ShellWord | null = null;
  let i = 0;

  const start = () => (word ??= { kind: 'word', text: '', dynamic: false, substituted: false, expands: false });
  const end = () => {
    if (word) tokens.push(word);
    word = null;
  };
  /** The index just past the `close` that balances the opener before `from`, skipping quotes. */
  const balanced = (from: number, open: string, close: string): number => {
    let depth = 1;
    for (let j = from; j < text.length; j++) {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === "'") {
        j = text.indexOf("'", j + 1);
        if (j < 0) break;
      } else if (c === '"') {
        j = closingDoubleQuote(text, j + 1);
        if (j < 0) break;
      } else if (c === open) depth++;
      else if (c === close && --depth === 0) return j + 1;
    }
    throw new Uncertain(`an unbalanced "${open}"`);
  };
  /** Collects the substitutions inside text that the shell expands (a `${…}` body, a here-document). */
  const nested = (inner: string): boolean => {
    if (nesting >= MAX_NESTING) throw new Uncertain('expansions nested too deep');
    const lexed = lexShell(inner, nesting + 1);
    if (lexed.uncertain) throw new Uncertain(lexed.uncertain);
    substitutions.push(...lexed.substitutions);
    return lexed.substitutions.length > 0;
  };
  /** Reads a `$…` expansion at i (inside or outside double quotes) into the current word. */
  const expansion = (quoted: boolean): void => {
    const rest = text.slice(i);
    const ifs = quoted ? null : IFS_EXPANSION.exec(rest);
    if (ifs) {
      // Unquoted $IFS splits words: `rm${IFS}-rf` is `rm -rf`.
      end();
      i += ifs[0].length;
      return;
    }
    const w = start();
    const arithmetic = rest.startsWith('$((') ? balanced(i + 3, '(', ')') : -1;
    if (arithmetic > 0 && text[arithmetic] === ')') {
      // `$((…))` is arithmetic; only substitutions inside it run. (`$((cmd) )` is a substitution, below.)
      w.substituted ||= nested(text.slice(i + 3, arithmetic - 1));
      w.text += text.slice(i, arithmetic + 1);
      w.dynamic = true;
      i = arithmetic + 1;
    } else if (rest.startsWith('$(')) {
      const stop = balanced(i + 2, '(', ')');
      substitutions.push(text.slice(i + 2, stop - 1));
      w.text += text.slice(i, stop);
      w.dynamic = w.substituted = true;
      i = stop;
    } else if (rest.startsWith('${')) {
      const stop = balanced(i + 2, '{', '}');
      // `${x:-$(rm -rf /)}` runs the substitution inside.
      w.substituted ||= nested(text.slice(i + 2, stop - 1));
      w.text += text.slice(i, stop);
      w.dynamic = true;
      i = stop;
    } else {
      const name = NAME_EXPANSION.exec(rest);
      w.text += name ? name[0] : '$';
      w.dynamic ||= name !== null;
      i += name ? name[0].length : 1;
    }
  };
  const backtick = (): void => {
    const stop = text.indexOf('`', i + 1);
    if (stop < 0) throw new Uncertain('an unterminated backtick');
    substitutions.push(text.slice(i + 1, stop).replace(/\\([`$\\])/g, '$1'));
    const w = start();
    w.text += text.slice(i, stop + 1);
    w.dynamic = w.substituted = true;
    i = stop + 1;
  };
  const readHeredocs = (): void => {
    for (const heredoc of heredocs.splice(0)) {
      const lines: string[] = [];
      for (;;) {
        if (i > text.length) throw new Uncertain(`a here-document without its "${heredoc.delimiter}" line`);
        let stop = text.indexOf('\n', i);
        if (stop < 0) stop = text.length;
        const line = heredoc.strip ? text.slice(i, stop).replace(/^\t+/, '') : text.slice(i, stop);
        i = stop + 1;
        if (line === heredoc.delimiter) break;
        lines.push(line);
      }
      const body = lines.length > 0 ? `${lines.join('\n')}\n` : '';
      heredoc.redirect.input = body;
      heredoc.redirect.inputDynamic = !heredoc.quoted && /[$`]/.test(body);
      // Quotes are literal in a here-document, but `$(…)` and backticks in it still run.
      if (heredoc.redirect.inputDynamic) nested(body.replace(/["'\\]/g, '\\$&'));
    }
  };

  try {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') {
        end();
        tokens.push({ kind: 'op', text: ';' });
        i++;
        readHeredocs();
      } else if (c === ' ' || c === '\t' || c === '\r') {
        end();
        i++;
      } else if (c === '#' && word === null) {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (c === '\\') {
        if (text[i + 1] !== '\n') start().text += text[i + 1] ?? '';
        i += 2;
      } else if (c === "'") {
        const stop = text.indexOf("'", i + 1);
        if (stop < 0) throw new Uncertain('an unterminated single quote');
        start().text += text.slice(i + 1, stop);
        i = stop + 1;
      } else if (c === '$' && text[i + 1] === "'") {
        const [value, stop] = ansiCString(text, i + 2);
        start().text += value;
        i = stop;
      } else if (c === '"') {
        const w = start();
        i++;
        while (text[i] !== '"') {
          if (i >= text.length) throw new Uncertain('an unterminated double quote');
          if (text[i] === '\\' && '$`"\\\n'.includes(text[i + 1] ?? '')) {
            if (text[i + 1] !== '\n') w.text += text[i + 1];
            i += 2;
          } else if (text[i] === '$') expansion(true);
          else if (text[i] === '`') backtick();
          else w.text += text[i++];
        }
        i++;
      } else if (c === '$') {
        expansion(false);
      } else if (c === '`') {
        backtick();
      } else if ((c === '<' || c === '>') && text[i + 1] === '(') {
        const stop = balanced(i + 2, '(', ')');
        substitutions.push(text.slice(i + 2, stop - 1));
        const w = start();
        w.text += text.slice(i, stop);
        w.dynamic = w.substituted = true;
        i = stop;
      } else if (c === '<' || c === '>' || (c === '&' && text[i + 1] === '>')) {
        const op = /^(?:&>>?|<<<|<<-|<<|<>|<&|>&|>>|>\||<|>)/.exec(text.slice(i))![0];
        // A word of digits right before the operator is the file descriptor: `2>`.
        const fd = word !== null && /^[0-9]+$/.test((word as ShellWord).text) ? (word as ShellWord).text : '';
        if (fd) word = null;
        else end();
        const redirect: ShellRedirect = { kind: 'redirect', text: fd + op };
        tokens.push(redirect);
        i += op.length;
        if (op === '<<' || op === '<<-') {
          while (text[i] === ' ' || text[i] === '\t') i++;
          const delimiterStart = i;
          while (i < text.length && !/[\s;&|<>()]/.test(text[i])) i++;
          const raw = text.slice(delimiterStart, i);
          if (raw === '') throw new Uncertain('a here-document without a delimiter');
          heredocs.push({ redirect, delimiter: raw.replace(/["'\\]/g, ''), strip: op === '<<-', quoted: /["'\\]/.test(raw) });
        } else if (op === '<<<') {
          tokens.pop();
          const before = tokens.length;
          hereString(redirect);
          if (tokens.length === before) throw new Uncertain('a here-string without text');
        }
      } else if (OPERATORS.some((op) => text.startsWith(op, i))) {
        end();
        const op = OPERATORS.find((candidate) => text.startsWith(candidate, i))!;
        tokens.push({ kind: 'op', text: op });
        i += op.length;
      } else {
        const w = start();
        if ('*?['.includes(c) || (c === '{' && isBraceList(text, i))) w.expands = true;
        w.text += c;
        i++;
      }
    }
    end();
    if (heredocs.length > 0) readHeredocs();
    return { tokens, substitutions };
  } catch (error) {
    if (error instanceof Uncertain) return { tokens, substitutions, uncertain: error.message };
    throw error;
  }

  /** `<<< word`: the word (lexed as usual) is the command's input; the redirect goes before it. */
  function hereString(redirect: ShellRedirect): void {
    while (text[i] === ' ' || text[i] === '\t') i++;
    const mark = tokens.length;
    // Lex exactly one word by running the loop body until the word ends.
    while (i < text.length && !/[\s;&|<>()]/.test(text[i])) {
      const c = text[i];
      if (c === "'") {
        const stop = text.indexOf("'", i + 1);
        if (stop < 0) throw new Uncertain('an unterminated single quote');
        start().text += text.slice(i + 1, stop);
        i = stop + 1;
      } else if (c === '"') {
        const stop = closingDoubleQuote(text, i + 1);
        if (stop < 0) throw new Uncertain('an unterminated double quote');
        const inner = text.slice(i + 1, stop);
        const w = start();
        w.text += inner.replace(/\\([$`"\\])/g, '$1');
        w.dynamic ||= /[$`]/.test(inner);
        i = stop + 1;
      } else if (c === '$' && text[i + 1] === "'") {
        const [value, stop] = ansiCString(text, i + 2);
        start().text += value;
        i = stop;
      } else if (c === '$') expansion(true);
      else if (c === '`') backtick();
      else if (c === '\\') {
        start().text += text[i + 1] ?? '';
        i += 2;
      } else {
        start().text += c;
        i++;
      }
    }
    const w = word as ShellWord | null;
    word = null;
    if (w === null) return;
    tokens.splice(mark, 0, redirect);
    redirect.input = `${w.text}\n`;
    redirect.inputDynamic = w.dynamic;
    tokens.push(w);
  }
}

/** Whether an unquoted `{` at `at` opens a brace expansion such as `{rm,-rf,/}` (looked at over a bounded stretch). */
function isBraceList(text: string, at: number): boolean {
  let comma = false;
  for (let j = at + 1; j < text.length && j < at + 256; j++) {
    const c = text[j];
    if (c === '}') return comma;
    if (c === ',') comma = true;
    else if (c === ' ' || c === '\t' || c === '\n' || c === '{') return false;
  }
  return false;
}

/** The index of the `"` that closes a double-quoted string whose text starts at `from`, or -1. */
function closingDoubleQuote(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return j;
  }
  return -1;
}

/** A bash `$'…'` string from `from` (just past the quote): its value and the index past its end. */
function ansiCString(text: string, from: number): [string, number] {
  let value = '';
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === "'") return [value, j + 1];
    if (c !== '\\') {
      value += c;
      continue;
    }
    const [decoded, length] = decodeEscape(text, j + 1);
    value += decoded;
    j += length;
  }
  throw new Uncertain('an unterminated $\'…\' string');
}
