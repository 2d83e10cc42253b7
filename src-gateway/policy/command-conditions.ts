import { compileGlobs, compileRegex } from './policy-patterns.js';
import { parseShell, type ShellParse } from './shell-commands.js';
import { parseSql, type SqlParse } from './sql-statements.js';

/**
 * What a condition says about a call: it holds, it does not, or the text it reads could not be
 * parsed with confidence. An uncertain condition never lets a call through silently: the compiled
 * policy treats it as matching a deny or approve rule (asking a person) and as not matching an allow rule.
 */
export type ConditionResult = boolean | typeof UNCERTAIN | typeof SEEN_IN_UNREADABLE;
export const UNCERTAIN = 'uncertain';
/**
 * A matching command was seen, but other parts of the text could not be read: enough for a deny or
 * approve rule to apply as written, never enough for an allow rule (the unread part may be anything).
 */
export const SEEN_IN_UNREADABLE = 'seen-in-unreadable';

/**
 * Longer text is not parsed: it counts as unreadable, so a person looks at it. The bounds keep the
 * worst case (adversarial text) well under a second of parsing; SQL is allowed more for bulk loads.
 */
export const MAX_SHELL_TEXT = 64 * 1024;
export const MAX_SQL_TEXT = 256 * 1024;

/** Parses shared by the conditions of one evaluation, so several rules on one command parse it once. */
export interface ParseCache {
  parsed<T>(kind: string, text: string, parse: (text: string) => T): T;
}

/** A shell condition: some command the text runs is one of `commands`, its arguments match `args`, and it matches `line`. */
export interface ShellCondition {
  commands?: string | readonly string[];
  args?: string;
  line?: string;
}

/** An SQL condition: some statement starts with one of `statements`, or with one of `withoutWhere` and has no narrowing WHERE. */
export interface SqlCondition {
  statements?: string | readonly string[];
  withoutWhere?: string | readonly string[];
}

/**
 * Compiles a shell condition over a value: a command line, or an argv array (`["bash", "-c", …]`).
 * Command names are matched case-insensitively (a case-insensitive file system runs `RM` as rm);
 * `args` sees the arguments after quote removal, joined by single spaces, redirections included.
 */
export function compileShellCondition(condition: ShellCondition): (value: unknown, cache: ParseCache) => ConditionResult {
  const names = condition.commands === undefined ? () => true : compileGlobs(lowerCase(condition.commands));
  const args = condition.args === undefined ? undefined : compileRegex(condition.args);
  const line = condition.line === undefined ? undefined : compileRegex(condition.line);
  return (value, cache) => {
    const text = commandLineOf(value);
    if (text === undefined || text.length > MAX_SHELL_TEXT) return UNCERTAIN;
    const parsed: ShellParse = cache.parsed('shell', text, parseShell);
    // A command seen to match decides even when other parts of the line could not be read.
    let result: ConditionResult = parsed.uncertain === undefined ? false : UNCERTAIN;
    for (const command of parsed.commands) {
      if (!names(command.name)) continue;
      const argText = command.args.join(' ');
      const argsHold = args === undefined || args.test(argText);
      if (argsHold && (line === undefined || line.test(argText === '' ? command.name : `${command.name} ${argText}`))) {
        return parsed.uncertain === undefined ? true : SEEN_IN_UNREADABLE;
      }
      // `rm $(printf -- -rf) /`: what the program receives is decided when the line runs.
      if (command.substitutedArgs) result = UNCERTAIN;
    }
    return result;
  };
}

/** Compiles an SQL condition over a value holding SQL text. */
export function compileSqlCondition(condition: SqlCondition): (value: unknown, cache: ParseCache) => ConditionResult {
  const always = keywordLists(condition.statements);
  const unfiltered = keywordLists(condition.withoutWhere);
  return (value, cache) => {
    if (typeof value !== 'string' || value.length > MAX_SQL_TEXT) return UNCERTAIN;
    const parsed: SqlParse = cache.parsed('sql', value, parseSql);
    const seen = parsed.statements.some(
      (statement) => startsWithAny(statement.keywords, always) || (!statement.filtered && startsWithAny(statement.keywords, unfiltered)),
    );
    if (parsed.uncertain === undefined) return seen;
    return seen ? SEEN_IN_UNREADABLE : UNCERTAIN;
  };
}

function keywordLists(entries: string | readonly string[] | undefined): string[][] {
  if (entries === undefined) return [];
  return (typeof entries === 'string' ? [entries] : entries).map((entry) => entry.trim().toUpperCase().split(/\s+/));
}

function startsWithAny(keywords: readonly string[], lists: readonly string[][]): boolean {
  return lists.some((list) => list.every((keyword, index) => keywords[index] === keyword));
}

/** A command line as text; an argv array is quoted back into one so that `["sh", "-c", …]` is read too. */
function commandLineOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string')) {
    return value.map((item: string) => `'${item.replaceAll("'", "'\\''")}'`).join(' ');
  }
  return undefined;
}

function lowerCase(globs: string | readonly string[]): string[] {
  return (typeof globs === 'string' ? [globs] : globs).map((glob) => glob.toLowerCase());
}
