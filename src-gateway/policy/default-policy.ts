import type { z } from 'zod';
import { PolicySchema, type Policy } from './policy-schema.js';

type RuleInput = z.input<typeof PolicySchema>['rules'][number];

/** Tools of filesystem servers that return a file's contents. */
const FILE_READING_TOOLS = ['read_file', 'read_text_file', 'read_media_file', 'read_multiple_files'];
/** Tools of filesystem servers that change or move files. */
const FILE_WRITING_TOOLS = ['write_file', 'edit_file', 'move_file'];

/** Within one shell command: anything up to the next `;`, `&`, `|` or line. */
const SAME_COMMAND = '[^;&|\\n]*';

/** `rm` with a recursive flag whose target is `/`, `/*`, `~` or `$HOME`. */
const RM_RF_ROOT =
  `\\brm(?=${SAME_COMMAND}\\s(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\\s)${SAME_COMMAND}\\s` +
  `(?:/\\*?|~/?|\\$HOME/?|"\\$HOME"/?)(?=$|[\\s;&|)])`;

const DESTRUCTIVE_SHELL = [
  // `git rm -r` removes only tracked files, which git can restore.
  `(?<!\\bgit\\s+)\\brm\\s(?:${SAME_COMMAND}\\s)?(?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)(?=\\s|$)`,
  '\\bmkfs(?:\\.\\w+)?\\b',
  `\\bdd\\s(?:${SAME_COMMAND}\\s)?of=`,
  `>\\s*/dev/(?:sd|hd|nvme|disk|mmcblk)\\w*`,
  `\\bchmod(?=${SAME_COMMAND}\\s(?:-[a-zA-Z]*R[a-zA-Z]*|--recursive)(?=\\s|$))(?=${SAME_COMMAND}\\s0?777(?=\\s|$))`,
  `\\bgit\\s(?:${SAME_COMMAND}\\s)?push\\s(?:${SAME_COMMAND}\\s)?(?:--force(?:-with-lease)?|-f)(?=[\\s=]|$)`,
  `\\bgit\\s(?:${SAME_COMMAND}\\s)?(?:reset\\s(?:${SAME_COMMAND}\\s)?--hard|clean\\s(?:${SAME_COMMAND}\\s)?-[a-zA-Z]*f)`,
  '\\b(?:curl|wget)\\s[^;&\\n]*\\|\\s*(?:sudo\\s+)?(?:ba|da|k|z)?sh\\b',
].join('|');

/** Within one SQL statement: anything up to the next `;`, never past a WHERE. */
const NO_WHERE_TO_END = '(?:(?!\\bwhere\\b)[^;])*(?:;|$)';

const DESTRUCTIVE_SQL =
  '(?i)' +
  [
    '\\bdrop\\s+(?:temporary\\s+)?(?:table|database|schema|view|materialized\\s+view|index|sequence|function|procedure|trigger|type|user|role|extension)\\b',
    '\\btruncate\\b',
    '\\balter\\s+(?:table|database|schema|view|index|sequence|function|procedure|type|user|role|system)\\b',
    `\\bdelete\\s+from\\b${NO_WHERE_TO_END}`,
    `\\bupdate\\s+\\S+\\s+set\\b${NO_WHERE_TO_END}`,
    // A WHERE that holds for every row is no WHERE at all.
    "\\b(?:delete|update)\\b[^;]*\\bwhere\\s+(?:1\\s*=\\s*1|'1'\\s*=\\s*'1'|true|1)\\s*(?:;|$)",
  ].join('|');

/**
 * The arguments' JSON text names a `.ssh` directory, or a file named `.env` or `.env.<stage>`
 * (`.env.example` and other templates excepted); `"` and `\` delimit names in JSON text.
 */
const SSH_PATH = '(?:^|["/\\\\])\\.ssh(?:["/\\\\]|$)';
const DOTENV_PATH = '(?:^|["/\\\\])\\.env(?:\\.(?!example\\b|sample\\b|template\\b|dist\\b)[\\w.-]+)?(?:"|$)';

/**
 * The same check on each of several top-level arguments, one rule per argument because a rule's
 * conditions must all hold. The first rule keeps `id`; the others are `<id>-in-<argument>`.
 */
function inEachArgument(id: string, names: readonly string[], regex: string, rule: Omit<RuleInput, 'id' | 'match'>): RuleInput[] {
  return names.map((name, index) => ({
    id: index === 0 ? id : `${id}-in-${name}`,
    ...rule,
    match: { tool: '*', arguments: [{ pointer: `/${name}`, regex }] },
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
    ...inEachArgument('deny-rm-rf-root', ['command', 'cmd'], RM_RF_ROOT, {
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
    ...inEachArgument('approve-destructive-shell', ['command', 'cmd'], DESTRUCTIVE_SHELL, {
      description: 'rm -r, mkfs, dd of=, writes to disk devices, chmod -R 777, git push --force, git reset --hard, git clean -f, curl … | sh',
      action: 'approve',
      reason: 'This shell command can destroy data or run code from the internet; a human decides',
    }),
    ...inEachArgument('approve-destructive-sql', ['query', 'sql', 'statement'], DESTRUCTIVE_SQL, {
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
