import type { z } from 'zod';
import { PolicySchema, type Policy } from './policy-schema.js';

type RuleInput = z.input<typeof PolicySchema>['rules'][number];

/** Tools of filesystem servers that return a file's contents. */
const FILE_READING_TOOLS = ['read_file', 'read_text_file', 'read_media_file', 'read_multiple_files'];
/** Tools of filesystem servers that change or move files. */
const FILE_WRITING_TOOLS = ['write_file', 'edit_file', 'move_file'];

/** A flag word of rm or chmod that asks for recursion; `args` and `line` see words joined by single spaces. */
const RECURSIVE = '(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)';

/** rm's arguments hold a recursive flag and the root, `/*`, `~` or `$HOME` as a target (sudo, sh -c and quoting seen through). */
const RM_RF_ROOT_ARGS = `^(?=(?:.* )?${RECURSIVE}(?: |$))(?=(?:.* )?(?:/+[.*]?/?|~/?|\\$\\{?HOME\\}?/?)(?: |$))`;

/** Each simple command, normalised as `name arg1 arg2 …` after quotes, wrappers and `sh -c` are seen through. */
const DESTRUCTIVE_SHELL_LINE = [
  // `git rm -r` is git's name, not rm's: it removes only tracked files, which git can restore.
  `^rm (?:.* )?${RECURSIVE}(?: |$)`,
  '^mkfs(?:\\.\\w+)?(?: |$)',
  '^dd (?:.* )?of=',
  // A redirection is its operator word then its target.
  '(?:^| )(?:[0-9]*|&)>[>|]? /dev/(?:sd|hd|nvme|disk|mmcblk)',
  `^chmod (?=(?:.* )?-[a-zA-Z]*R[a-zA-Z]*(?: |$)|(?:.* )?--recursive(?: |$))(?=(?:.* )?0?777(?: |$))`,
  // Lookaheads, each one linear scan: two `(?:.* )?` in sequence backtrack quadratically, and an
  // agent chooses how long the command is.
  '^git (?=(?:.* )?push(?: |$))(?=(?:.* )?(?:--force(?:-with-lease)?(?:[ =]|$)|-[a-zA-Z]*f[a-zA-Z]*(?: |$)|\\+\\S))',
  '^git (?=(?:.* )?reset(?: |$))(?=(?:.* )?--hard(?: |$))',
  '^git (?=(?:.* )?clean(?: |$))(?=(?:.* )?-[a-zA-Z]*f)',
].join('|');

/**
 * Statements that destroy schema or data. Parsed, not searched: comments, string literals and
 * case do not hide them, and text that cannot be read with confidence asks a person too.
 */
const DESTRUCTIVE_SQL = { statements: ['DROP', 'TRUNCATE', 'ALTER'], withoutWhere: ['DELETE', 'UPDATE'] };

/**
 * The arguments' JSON text names a `.ssh` directory, or a file named `.env` or `.env.<stage>`
 * (`.env.example` and other templates excepted); `"` and `\` delimit names in JSON text.
 */
const SSH_PATH = '(?:^|["/\\\\])\\.ssh(?:["/\\\\]|$)';
const DOTENV_PATH = '(?:^|["/\\\\])\\.env(?:\\.(?!example\\b|sample\\b|template\\b|dist\\b)[\\w.-]+)?(?:"|$)';

type Condition = Omit<NonNullable<NonNullable<RuleInput['match']>['arguments']>[number], 'pointer'>;

/**
 * The same check on each of several top-level arguments, one rule per argument because a rule's
 * conditions must all hold. The first rule keeps `id`; the others are `<id>-in-<argument>`.
 */
function inEachArgument(id: string, names: readonly string[], condition: Condition, rule: Omit<RuleInput, 'id' | 'match'>): RuleInput[] {
  return names.map((name, index) => ({
    id: index === 0 ? id : `${id}-in-${name}`,
    ...rule,
    match: { tool: '*', arguments: [{ pointer: `/${name}`, ...condition }] },
  }));
}

/**
 * The policy in force when the user has none: it protects out of the box. Catastrophic commands
 * and reading secrets through filesystem servers are denied; destructive shell commands, destructive
 * SQL and the demo server's `delete_customer` wait for a human; everything else is allowed.
 * Parsed by the same schema as a user's policy, so it is validated and has its defaults filled in.
 */
export const DEFAULT_POLICY: Policy = PolicySchema.parse({
  defaultAction: 'allow',
  rules: [
    ...inEachArgument('deny-rm-rf-root', ['command', 'cmd'], { shell: { commands: 'rm', args: RM_RF_ROOT_ARGS } }, {
      description: 'rm -r of the root or the home directory, in a command argument',
      action: 'deny',
      reason: 'Recursively deleting the root or home directory is never allowed',
    }),
    {
      id: 'deny-read-ssh-keys',
      description: 'Filesystem tools reading anything under a .ssh directory',
      match: { tool: FILE_READING_TOOLS, arguments: [{ pointer: '', regex: SSH_PATH }] },
      action: 'deny',
      reason: 'SSH keys and configuration (~/.ssh) are not readable through Airlock',
    },
    {
      id: 'deny-write-ssh-keys',
      description: 'Filesystem tools changing or moving anything under a .ssh directory',
      match: { tool: FILE_WRITING_TOOLS, arguments: [{ pointer: '', regex: SSH_PATH }] },
      action: 'deny',
      reason: 'Changing ~/.ssh (authorized_keys, keys, config) through Airlock is blocked',
    },
    {
      id: 'deny-read-dotenv',
      description: 'Filesystem tools reading a .env file',
      match: { tool: FILE_READING_TOOLS, arguments: [{ pointer: '', regex: DOTENV_PATH }] },
      action: 'deny',
      reason: '.env files hold secrets and are not readable through Airlock',
    },
    {
      id: 'deny-read-secret-resources',
      description: 'SSH keys and .env files offered as file:// resources',
      match: { method: 'resources/read', tool: ['file://*/.ssh/*', 'file://*/.env'] },
      action: 'deny',
      reason: 'SSH keys and .env files are not readable through Airlock',
    },
    ...inEachArgument('approve-destructive-shell', ['command', 'cmd'], { shell: { line: DESTRUCTIVE_SHELL_LINE } }, {
      description: 'rm -r, mkfs, dd of=, writes to disk devices, chmod -R 777, git push --force, git reset --hard, git clean -f, and shells fed text we cannot read (curl … | sh)',
      action: 'approve',
      reason: 'This shell command can destroy data or run code from the internet; a human decides',
    }),
    ...inEachArgument('approve-destructive-sql', ['query', 'sql', 'statement'], { sql: DESTRUCTIVE_SQL }, {
      description: 'DROP, TRUNCATE, ALTER, and DELETE or UPDATE without a WHERE that narrows it',
      action: 'approve',
      reason: 'Destructive SQL needs a human',
    }),
    {
      id: 'approve-demo-delete-customer',
      description: "The demo back office's delete_customer",
      match: { server: 'demo', tool: 'delete_customer' },
      action: 'approve',
      reason: 'Deleting a customer is permanent; a human decides',
    },
  ],
} satisfies z.input<typeof PolicySchema>);
