import { lexShell } from './shell-lexer.js';
import type { ShellToken, ShellWord } from './shell-tokens.js';
import { knownOutput } from './shell-known-output.js';

/** One simple command the shell would run. */
export interface ShellCommand {
  /** The program's name: the last path segment, lower-cased (macOS runs `/bin/RM` as rm). */
  name: string;
  /** Its arguments after quote removal, with redirections as an operator word and a target word. */
  args: string[];
  /** An argument holds a command substitution, so what the program receives is not known. */
  substitutedArgs: boolean;
}

/** Every command a command line runs, including those inside `sh -c`, `eval`, substitutions and pipes into a shell. */
export interface ShellParse {
  commands: ShellCommand[];
  /** Why some of what the line runs could not be read with confidence; such a line counts as matching. */
  uncertain?: string;
}

/** Aliases defined earlier on the line (`alias x='rm -rf'` then `x /`); zsh expands them even in scripts. */
type Aliases = Map<string, string>;
const aliasesOf = new WeakMap<ShellParse, Aliases>();

/** Interpreters whose inline code (`python -c`, `perl -e`, `node -e`) may hand strings to a shell. */
const INLINE_CODE: Record<string, readonly string[]> = {
  python: ['-c'], python3: ['-c'], python2: ['-c'], perl: ['-e', '-E'], ruby: ['-e'], node: ['-e', '--eval', '-p', '--print'], php: ['-r'], osascript: ['-e'],
};
/** A quoted string in another language's code: `"…"` or `'…'` with backslash escapes. */
const CODE_STRING = /"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g;

/** How deep `sh -c "sh -c '…'"` may nest before the line counts as unreadable. */
const MAX_DEPTH = 8;

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'yash', 'posh', 'fish', 'rbash', 'su']);

/** Programs that run another program given as their arguments; the options that take a value. */
const WRAPPERS: Record<string, { withValue: string[]; positional?: number }> = {
  sudo: { withValue: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '-T', '-R'] },
  doas: { withValue: ['-u', '-C'] },
  env: { withValue: ['-u', '-C', '--unset', '--chdir'] },
  nohup: { withValue: [] },
  time: { withValue: ['-f', '-o'] },
  nice: { withValue: ['-n'] },
  ionice: { withValue: ['-c', '-n', '-t'] },
  command: { withValue: [] },
  builtin: { withValue: [] },
  exec: { withValue: ['-a'] },
  xargs: { withValue: ['-I', '-n', '-P', '-L', '-d', '-E', '-s', '-a'] },
  timeout: { withValue: ['-s', '-k', '--signal', '--kill-after'], positional: 1 },
  stdbuf: { withValue: ['-i', '-o', '-e'] },
  chroot: { withValue: [], positional: 1 },
  flock: { withValue: ['-w', '-E'], positional: 1 },
  taskset: { withValue: [], positional: 1 },
  setsid: { withValue: [] },
  busybox: { withValue: [] },
  unbuffer: { withValue: [] },
  caffeinate: { withValue: ['-t', '-w'] },
  torsocks: { withValue: [] },
  proxychains: { withValue: ['-f'] },
  chrt: { withValue: [], positional: 1 },
  watch: { withValue: ['-n', '-d'] },
};

/** Reserved words that open or close a compound command; what follows them is a command again. */
const PASS_THROUGH = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'esac', 'coproc']);
/** Reserved words whose segment names no command (`for x in …`, `case … in`, `[[ … ]]`, `function f`). */
const NO_COMMAND = new Set(['for', 'case', 'select', 'function', '[[', 'in']);

/** Parses a command line into the commands it would run. Never throws. */
export function parseShell(text: string): ShellParse {
  const out: ShellParse = { commands: [] };
  readLine(text, 0, out);
  return out;
}

function readLine(text: string, depth: number, out: ShellParse): void {
  if (depth > MAX_DEPTH) {
    uncertain(out, `commands nested more than ${MAX_DEPTH} levels deep`);
    return;
  }
  const lexed = lexShell(text);
  if (lexed.uncertain) uncertain(out, lexed.uncertain);
  for (const inner of lexed.substitutions) readLine(inner, depth + 1, out);
  for (const pipeline of pipelines(lexed.tokens)) {
    // What flows into the next stage: known literally (echo, printf, base64 -d of known text) or not.
    let input: StageInput = NO_INPUT;
    for (const stage of pipeline) {
      const output = readStage(stage, input, depth, out);
      input = output === undefined ? UNSEEN_INPUT : output;
    }
  }
}

/** A stage's input: literal text, text we cannot see (a pipe from curl), or none given. */
type StageInput = string | typeof NO_INPUT | typeof UNSEEN_INPUT;
const NO_INPUT = Symbol('no input');
const UNSEEN_INPUT = Symbol('unseen input');

/** Splits tokens into pipelines (separated by `;`, `&&`, `||`, `&`, parentheses), each a list of stages. */
function pipelines(tokens: readonly ShellToken[]): ShellToken[][][] {
  const all: ShellToken[][][] = [];
  let stages: ShellToken[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'op' && (token.text === '|' || token.text === '|&')) stages.push([]);
    else if (token.kind === 'op') {
      all.push(stages);
      stages = [[]];
    } else stages[stages.length - 1].push(token);
  }
  all.push(stages);
  return all;
}

/** Reads one stage of a pipeline; returns its output when it is known literally. */
function readStage(tokens: ShellToken[], piped: StageInput, depth: number, out: ShellParse): string | undefined {
  const words: ShellWord[] = [];
  const redirects: string[] = [];
  let input = piped;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === 'word') {
      words.push(token);
      continue;
    }
    if (token.kind !== 'redirect') continue;
    const target = tokens[i + 1]?.kind === 'word' ? (tokens[++i] as ShellWord) : undefined;
    redirects.push(token.text);
    if (target) redirects.push(target.text);
    // A here-document or here-string feeds the command; `< file` feeds it a file not part of the call.
    if (token.input !== undefined) input = token.inputDynamic ? UNSEEN_INPUT : token.input;
    else if (token.text.endsWith('<')) input = NO_INPUT;
  }
  return runWords(words, redirects, input, depth, out);
}

/**
 * Records the command these words run (after assignments, reserved words and wrappers such as sudo)
 * and whatever it runs in turn. Returns the command's output when it is known literally.
 */
function runWords(words: ShellWord[], redirects: string[], input: StageInput, depth: number, out: ShellParse): string | undefined {
  let at = 0;
  while (at < words.length) {
    const word = words[at];
    if (!word.dynamic && !word.expands && PASS_THROUGH.has(word.text)) at++;
    else if (!word.dynamic && !word.expands && NO_COMMAND.has(word.text)) return undefined;
    else if (/^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/.test(word.text) && !word.expands) at++;
    else break;
  }
  if (at >= words.length) {
    if (redirects.length > 0) out.commands.push({ name: '', args: redirects, substitutedArgs: false });
    return undefined;
  }
  const head = words[at];
  if (head.dynamic || head.expands) {
    const shown = head.text.length > 40 ? `${head.text.slice(0, 39)}…` : head.text;
    uncertain(out, head.dynamic ? `the command name "${shown}" is computed when the line runs` : `the command name "${shown}" is a pattern`);
    return undefined;
  }
  const name = head.text.slice(head.text.lastIndexOf('/') + 1).toLowerCase();
  const rest = words.slice(at + 1);
  const alias = aliasesOf.get(out)?.get(head.text);
  if (alias !== undefined) {
    aliasesOf.get(out)!.delete(head.text); // an alias is not expanded inside itself
    readLine([alias, ...rest.map((word) => word.text)].join(' '), depth + 1, out);
    aliasesOf.get(out)!.set(head.text, alias);
    return undefined;
  }
  const args = [...rest.map((word) => word.text), ...redirects];
  out.commands.push({ name, args, substitutedArgs: rest.some((word) => word.substituted) });

  // Own keys only: a command named `__proto__` or `constructor` is no wrapper.
  const wrapper = Object.hasOwn(WRAPPERS, name) ? WRAPPERS[name] : undefined;
  if (wrapper) {
    const inner = unwrap(name, wrapper, rest, depth, out);
    return inner === undefined ? undefined : runWords(inner, redirects, input, depth, out);
  }
  if (SHELLS.has(name)) return runShell(name, rest, input, depth, out);
  if (name === 'eval') {
    runScript(rest, 'eval', depth, out);
    return undefined;
  }
  if (name === 'trap' && rest.length > 1 && !rest[0].text.startsWith('-')) runScript([rest[0]], 'trap', depth, out);
  if (name === 'alias') defineAliases(rest, out);
  if (Object.hasOwn(INLINE_CODE, name)) runInlineCode(INLINE_CODE[name], rest, depth, out);
  if (name === 'find') runFindExec(rest, depth, out);
  return knownOutput(name, rest, typeof input === 'string' ? input : undefined);
}

/** The words of the program a wrapper runs, or undefined when it runs none. */
function unwrap(name: string, wrapper: { withValue: string[]; positional?: number }, rest: ShellWord[], depth: number, out: ShellParse): ShellWord[] | undefined {
  let at = 0;
  let positional = wrapper.positional ?? 0;
  while (at < rest.length) {
    const text = rest[at].text;
    if (text === '--') {
      at++;
      break;
    }
    if (name === 'env' && (text === '-S' || text.startsWith('--split-string'))) {
      // `env -S 'rm -rf /'` splits its argument into a command line.
      const script = text.includes('=') ? [rest[at]] : rest.slice(at + 1, at + 2);
      runScript(script, 'env -S', depth, out);
      return undefined;
    }
    if (text.startsWith('-') && text.length > 1) {
      at += wrapper.withValue.includes(text) ? 2 : 1;
    } else if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(text)) at++;
    else if (positional > 0) {
      positional--;
      at++;
    } else break;
  }
  if (at >= rest.length) return undefined;
  if (name === 'watch') {
    // watch hands its arguments to `sh -c`.
    runScript(rest.slice(at), 'watch', depth, out);
    return undefined;
  }
  return rest.slice(at);
}

/** A shell: `-c script`, a script file, or commands read from its input. */
function runShell(name: string, rest: ShellWord[], input: StageInput, depth: number, out: ShellParse): undefined {
  for (let at = 0; at < rest.length; at++) {
    const text = rest[at].text;
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(text) || (name === 'su' && (text === '--command' || text === '-c'))) {
      const script = rest.slice(at + 1).find((word) => !word.text.startsWith('-') || word.dynamic);
      if (script) runScript([script], `${name} -c`, depth, out);
      else uncertain(out, `${name} -c without a command`);
      return undefined;
    }
    if (text === '-s' || text === '-') break;
    if (name === 'su') continue;
    if (text.startsWith('-') || text.startsWith('+')) {
      if (text === '-o' || text === '+o' || text === '-O' || text === '+O') at++;
      continue;
    }
    // A script file: what it holds is not part of this call.
    if (rest[at].substituted) uncertain(out, `${name} runs a script produced when the line runs`);
    return undefined;
  }
  if (typeof input === 'string') readLine(input, depth + 1, out);
  else if (input === UNSEEN_INPUT) uncertain(out, `${name} runs commands from input that is not part of the call`);
  return undefined;
}

/** Reads arguments joined by spaces as a command line (eval, sh -c, env -S, watch). */
function runScript(words: ShellWord[], what: string, depth: number, out: ShellParse): void {
  // A variable in the text stays a variable for the inner shell (`sh -c "rm -rf $HOME"` reads as
  // `rm -rf $HOME`); the output of a command substitution is text nobody has seen.
  if (words.some((word) => word.substituted)) {
    uncertain(out, `${what} runs text computed when the line runs`);
    return;
  }
  readLine(words.map((word) => word.text).join(' '), depth + 1, out);
}

/** `find … -exec cmd args ;` runs cmd. */
function runFindExec(rest: ShellWord[], depth: number, out: ShellParse): void {
  for (let at = 0; at < rest.length; at++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(rest[at].text)) continue;
    const end = rest.findIndex((word, index) => index > at && (word.text === ';' || word.text === '+'));
    const command = rest.slice(at + 1, end < 0 ? rest.length : end);
    if (command.length > 0) runWords(command, [], NO_INPUT, depth + 1, out);
    if (end < 0) break;
    at = end;
  }
}

function defineAliases(rest: ShellWord[], out: ShellParse): void {
  for (const word of rest) {
    const equals = word.text.indexOf('=');
    if (equals <= 0) continue;
    if (word.dynamic) {
      uncertain(out, 'an alias is defined from text computed when the line runs');
      continue;
    }
    if (!aliasesOf.has(out)) aliasesOf.set(out, new Map());
    aliasesOf.get(out)!.set(word.text.slice(0, equals), word.text.slice(equals + 1));
  }
}

/**
 * Inline code of another language is not parsed, but a string in it that reads as a shell command
 * (`os.system("rm -rf /")`) is checked as one: a heuristic that catches the common hand-off.
 */
function runInlineCode(flags: readonly string[], rest: ShellWord[], depth: number, out: ShellParse): void {
  const at = rest.findIndex((word) => flags.includes(word.text));
  const code = at >= 0 ? rest[at + 1] : undefined;
  if (code === undefined) return;
  for (const match of code.text.matchAll(CODE_STRING)) {
    const text = (match[1] ?? match[2]).replace(/\\(.)/g, '$1');
    const inner: ShellParse = { commands: [] };
    readLine(text, depth + 1, inner);
    // Only what reads cleanly as commands counts: most strings in code are not shell at all.
    if (inner.uncertain === undefined) out.commands.push(...inner.commands);
  }
}

function uncertain(out: ShellParse, why: string): void {
  out.uncertain ??= why;
}
