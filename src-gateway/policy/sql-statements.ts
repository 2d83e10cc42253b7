/**
 * Reads SQL text far enough to say which statements it runs, for policy matching: comments, string
 * literals and quoted identifiers are removed, case is ignored, and text is split into statements.
 * SQL dialects disagree on comments and escapes (MySQL's `\'`, `#` and executable `/*! … *\/`
 * comments; PostgreSQL's nested comments and `$$` strings), so the text is read both ways and a
 * statement either reading finds counts. Dynamic SQL (`EXECUTE`, `EXEC`) counts as unreadable.
 */

/** Where a statement (or a sub-statement such as a data-modifying CTE) starts. */
export interface SqlStatement {
  /** Its first keywords, upper-case: `['DELETE', 'FROM', 'T']`, `['DROP', 'TABLE', 'X']`. */
  keywords: string[];
  /** A WHERE at its own level that does not hold for every row (`1=1`, `TRUE` and `… OR 1=1` do). */
  filtered: boolean;
}

export interface SqlParse {
  statements: SqlStatement[];
  /** Why some of the text could not be read with confidence; such text counts as matching. */
  uncertain?: string;
}

interface Token {
  kind: 'word' | 'string' | 'number' | 'punct';
  /** Words upper-cased; strings as their content. */
  text: string;
}

type Dialect = 'standard' | 'mysql';

/** How deep `DO $$ … $$` bodies may nest. */
const MAX_DEPTH = 4;
/** Keywords after which a new statement starts inside procedural code (`BEGIN DELETE …; END`). */
const BLOCK_STARTS = new Set(['BEGIN', 'THEN', 'ELSE', 'LOOP']);
const MAIN_VERBS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'TABLE']);
const CLAUSE_ENDS = new Set(['RETURNING', 'ORDER', 'LIMIT', 'OFFSET', 'OUTPUT', 'GROUP', 'WINDOW', 'FOR']);

class Unreadable extends Error {}

/** How many token visits one parse may make; pathological nesting beyond it counts as unreadable. */
const WORK_BUDGET = 2_000_000;

/** Token visits left for one parse, shared by both dialects and nested bodies. */
interface Budget {
  left: number;
}

/** The statements SQL text runs, read as standard SQL and as MySQL. Never throws. */
export function parseSql(text: string, depth = 0, budget: Budget = { left: WORK_BUDGET }): SqlParse {
  const out: SqlParse = { statements: [] };
  if (depth > MAX_DEPTH) return { statements: [], uncertain: 'SQL code nested too deep' };
  for (const dialect of ['standard', 'mysql'] as const) {
    try {
      statementsOf(tokenize(text, dialect), depth, out, budget);
    } catch (error) {
      if (!(error instanceof Unreadable)) throw error;
      out.uncertain ??= `${error.message} (read as ${dialect === 'mysql' ? 'MySQL' : 'standard SQL'})`;
    }
  }
  return out;
}

function tokenize(text: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  let versionComments = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (/\s/.test(c)) i++;
    else if (c === '-' && next === '-' && (dialect === 'standard' || /[\s]|^$/.test(text[i + 2] ?? ''))) i = lineEnd(text, i);
    else if (c === '#' && dialect === 'mysql') i = lineEnd(text, i);
    else if (c === '/' && next === '*') {
      if (dialect === 'mysql' && text[i + 2] === '!') {
        // MySQL runs the text of /*! … */ (after an optional version number) as SQL.
        versionComments++;
        i += 3;
        while (/[0-9]/.test(text[i] ?? '')) i++;
      } else i = commentEnd(text, i, dialect);
    } else if (c === '*' && next === '/' && versionComments > 0) {
      versionComments--;
      i += 2;
    } else if (c === "'" || (c === '"' && dialect === 'mysql')) {
      const escapes = dialect === 'mysql' || /[eE]$/.test(tokens.at(-1)?.kind === 'word' && isPrefix(text, i) ? text[i - 1] : '');
      const [value, stop] = quoted(text, i, c, escapes);
      tokens.push({ kind: 'string', text: value });
      i = stop;
    } else if (c === '"' || c === '`') {
      const [value, stop] = quoted(text, i, c, false);
      tokens.push({ kind: 'word', text: `"${value}"` });
      i = stop;
    } else if (c === '$' && dialect === 'standard' && /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.test(text.slice(i))) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i))![0];
      const stop = text.indexOf(tag, i + tag.length);
      if (stop < 0) throw new Unreadable(`an unterminated ${tag} string`);
      tokens.push({ kind: 'string', text: text.slice(i + tag.length, stop) });
      i = stop + tag.length;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      const match = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(text.slice(i))![0];
      tokens.push({ kind: 'word', text: match.toUpperCase() });
      i += match.length;
    } else if (/[0-9.]/.test(c) && /[0-9]/.test(c === '.' ? (next ?? '') : c)) {
      const match = /^(?:0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)/.exec(text.slice(i))![0];
      tokens.push({ kind: 'number', text: match });
      i += match.length;
    } else {
      const two = text.slice(i, i + 2);
      const op = ['<>', '!=', '<=', '>=', '==', '||', '::'].includes(two) ? two : c;
      tokens.push({ kind: 'punct', text: op });
      i += op.length;
    }
  }
  if (versionComments > 0) throw new Unreadable('an unterminated /*! comment');
  return tokens;
}

/** Whether the character before a quote belongs to a one-letter prefix word (`E'…'`, `N'…'`). */
function isPrefix(text: string, quote: number): boolean {
  return quote > 0 && /[A-Za-z]/.test(text[quote - 1]) && !/[A-Za-z0-9_]/.test(text[quote - 2] ?? '');
}

function lineEnd(text: string, from: number): number {
  const stop = text.indexOf('\n', from);
  return stop < 0 ? text.length : stop + 1;
}

/** The index past a block comment; PostgreSQL nests them, MySQL does not. */
function commentEnd(text: string, from: number, dialect: Dialect): number {
  let depth = 0;
  for (let i = from; i < text.length - 1; i++) {
    if (text[i] === '/' && text[i + 1] === '*') {
      if (depth > 0 && dialect === 'mysql') continue;
      depth++;
      i++;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      i++;
      if (--depth === 0) return i + 1;
    }
  }
  throw new Unreadable('an unterminated comment');
}

/** A quoted string or identifier from its opening quote: its value and the index past it. */
function quoted(text: string, from: number, quote: string, backslashEscapes: boolean): [string, number] {
  let value = '';
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && backslashEscapes) {
      value += text[++i] ?? '';
    } else if (c === quote) {
      if (text[i + 1] !== quote) return [value, i + 1];
      value += quote;
      i++;
    } else value += c;
  }
  throw new Unreadable(`an unterminated ${quote} string`);
}

function statementsOf(tokens: readonly Token[], depth: number, out: SqlParse, budget: Budget): void {
  let start = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && !(tokens[i].kind === 'punct' && tokens[i].text === ';')) continue;
    if (i > start) readStatement(tokens.slice(start, i), depth, out, budget);
    start = i + 1;
  }
}

/** Finds where statements start in one `;`-separated piece. */
function readStatement(tokens: readonly Token[], depth: number, out: SqlParse, budget: Budget): void {
  let first = 0;
  while (tokens[first]?.text === '(') first++;
  const lead = tokens[first]?.text;
  if (lead === 'EXECUTE' || lead === 'EXEC') {
    out.uncertain ??= `dynamic SQL (${lead}) runs text not part of the call`;
    return;
  }
  if (lead === 'DO') {
    for (const token of tokens) if (token.kind === 'string') mergeInto(out, parseSql(token.text, depth + 1, budget));
  }
  const starts = new Set<number>([first]);
  let level = 0;
  for (let i = first; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'punct' && token.text === '(') {
      level++;
      starts.add(i + 1);
    } else if (token.kind === 'punct' && token.text === ')') {
      level--;
      // `WITH x AS (…) DELETE FROM t`: the main statement follows the last CTE.
      if (lead === 'WITH' && level === 0 && MAIN_VERBS.has(tokens[i + 1]?.text ?? '')) starts.add(i + 1);
    } else if (token.kind === 'word' && BLOCK_STARTS.has(token.text)) starts.add(i + 1);
    else if (token.kind === 'word' && token.text === 'AS' && lead === 'PREPARE' && level === 0) starts.add(i + 1);
    else if (token.kind === 'word' && ['EXPLAIN', 'ANALYZE', 'ANALYSE', 'VERBOSE'].includes(token.text) && starts.has(i)) {
      starts.add(tokens[i + 1]?.text === '(' ? skipGroup(tokens, i + 1) : i + 1);
    }
  }
  for (const at of starts) {
    if (tokens[at]?.kind !== 'word') continue;
    const keywords = [];
    for (let k = at; k < tokens.length && keywords.length < 4 && tokens[k].kind === 'word'; k++) keywords.push(tokens[k].text);
    // Only DELETE and UPDATE are ever asked about their WHERE.
    const filtered = (keywords[0] === 'DELETE' || keywords[0] === 'UPDATE') && isFiltered(tokens, at, budget);
    out.statements.push({ keywords, filtered });
  }
}

/** The index past a parenthesised group that starts at `open`. */
function skipGroup(tokens: readonly Token[], open: number): number {
  let level = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === '(') level++;
    else if (tokens[i].text === ')' && --level === 0) return i + 1;
  }
  return tokens.length;
}

/** Whether the statement at `at` has a WHERE at its own level that can be false for some row. */
function isFiltered(tokens: readonly Token[], at: number, budget: Budget): boolean {
  let level = 0;
  for (let i = at; i < tokens.length; i++) {
    if (--budget.left < 0) throw new Unreadable('SQL too deeply nested to read in reasonable time');
    const token = tokens[i];
    if (token.text === '(' && token.kind === 'punct') level++;
    else if (token.text === ')' && token.kind === 'punct' && --level < 0) return false;
    else if (level === 0 && token.kind === 'word' && token.text === 'WHERE') {
      const condition: Token[] = [];
      let inner = 0;
      for (let k = i + 1; k < tokens.length; k++) {
        if (--budget.left < 0) throw new Unreadable('SQL too deeply nested to read in reasonable time');
        const t = tokens[k];
        if (t.kind === 'punct' && t.text === '(') inner++;
        if (t.kind === 'punct' && t.text === ')' && --inner < 0) break;
        if (inner === 0 && t.kind === 'word' && CLAUSE_ENDS.has(t.text)) break;
        condition.push(t);
      }
      budget.left -= condition.length * 4;
      return !alwaysTrue(condition);
    }
  }
  return false;
}

/** A condition that holds for every row: `1=1`, `'a'='a'`, `TRUE`, `1`, `NOT FALSE`, or any `… OR <one of those>`. */
function alwaysTrue(condition: readonly Token[]): boolean {
  return splitTop(condition, 'OR').some((disjunct) => splitTop(disjunct, 'AND').every(trivial));
}

function trivial(tokens: readonly Token[]): boolean {
  let t = tokens;
  while (t.length >= 2 && t[0].text === '(' && t.at(-1)!.text === ')' && skipGroup(t, 0) === t.length) t = t.slice(1, -1);
  const texts = t.map((token) => token.text);
  if (texts.length === 1) return texts[0] === 'TRUE' || (t[0].kind === 'number' && Number(texts[0]) !== 0);
  if (texts.length === 2 && texts[0] === 'NOT') return texts[1] === 'FALSE' || texts[1] === '0' || texts[1] === 'NULL';
  if (texts.length === 3 && texts[1] === 'LIKE' && t[2].kind === 'string' && /^%+$/.test(texts[2])) return true;
  // `x = x` for the same literal (or column) on both sides, parenthesised or not: `(1)=(1)`, `'a'='a'`, `id = id`.
  const at = t.findIndex((token, index) => ['=', '<=', '>=', '=='].includes(token.text) && depthAt(t, index) === 0);
  if (at <= 0) return false;
  const left = t.slice(0, at);
  const right = t.slice(at + 1);
  return left.length === right.length && left.every((token, index) => token.text === right[index].text && (token.kind === 'word') === (right[index].kind === 'word'));
}

/** The parenthesis depth just before token `index`. */
function depthAt(tokens: readonly Token[], index: number): number {
  let level = 0;
  for (let i = 0; i < index; i++) {
    if (tokens[i].kind === 'punct' && tokens[i].text === '(') level++;
    else if (tokens[i].kind === 'punct' && tokens[i].text === ')') level--;
  }
  return level;
}

function splitTop(tokens: readonly Token[], keyword: string): Token[][] {
  const parts: Token[][] = [[]];
  let level = 0;
  for (const token of tokens) {
    if (token.kind === 'punct' && token.text === '(') level++;
    if (token.kind === 'punct' && token.text === ')') level--;
    if (level === 0 && token.kind === 'word' && token.text === keyword) parts.push([]);
    else parts[parts.length - 1].push(token);
  }
  return parts;
}

function mergeInto(out: SqlParse, inner: SqlParse): void {
  out.statements.push(...inner.statements);
  if (inner.uncertain) out.uncertain ??= inner.uncertain;
}
