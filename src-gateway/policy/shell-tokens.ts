/** What the shell lexer (shell-lexer.ts) makes of a command line. */

/** One word after quote removal. */
export interface ShellWord {
  kind: 'word';
  text: string;
  /** Contains a parameter expansion or a substitution, so the shell may see other text. */
  dynamic: boolean;
  /** Contains a command or process substitution (`$(…)`, backticks, `<(…)`). */
  substituted: boolean;
  /** Contains an unquoted glob or brace expansion (`*`, `?`, `[`, `{a,b}`). */
  expands: boolean;
}

/** A control operator (`;`, `&&`, `||`, `|`, `|&`, `&`, `(`, `)`, `;;`), a newline is `;`. */
export interface ShellOperator {
  kind: 'op';
  text: string;
}

/** A redirection operator such as `>`, `2>>`, `&>` or `<<<`; the next word is its target. */
export interface ShellRedirect {
  kind: 'redirect';
  text: string;
  /** For `<<` here-documents and `<<<` here-strings: the text fed to the command, when it is literal. */
  input?: string;
  /** The here-document's text expands variables or substitutions, so its content is not known. */
  inputDynamic?: boolean;
}

export type ShellToken = ShellWord | ShellOperator | ShellRedirect;

export interface ShellLexed {
  tokens: ShellToken[];
  /** The text of every `$(…)`, backtick and `<(…)` substitution, to be read as commands too. */
  substitutions: string[];
  /** Why the text could not be read with confidence, if it could not. */
  uncertain?: string;
}
