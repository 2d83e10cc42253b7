import { z } from 'zod';
import { MaskingPolicySchema } from './masking-policy-schema.js';
import { compileRegex } from './policy-patterns.js';

/** How long an approve rule waits for a human when the rule does not say. */
const DEFAULT_TIMEOUT_SECONDS = 120;

const NameSchema = z.string().min(1, 'must not be empty');
/** One name or pattern, or a list of them any of which may match. */
const OneOrManySchema = z.union([NameSchema, z.array(NameSchema).min(1, 'a list needs at least one entry')], {
  error: 'expected a string or a list of strings',
});

const RegexSchema = z.string().superRefine((pattern, ctx) => {
  try {
    compileRegex(pattern);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/**
 * The value is a shell command line (or an argv array) that runs a command named in `commands`
 * (globs on the program's name, case-insensitive) whose arguments match `args`, or whose whole
 * normalised form (`name arg1 arg2 …`) matches `line`. The line is parsed: quoting, `$IFS`,
 * `;`/`&&`/`|` chains, `sh -c`, `eval`, wrappers such as `sudo`, and literal text piped into a
 * shell (`echo … | base64 -d | sh`) are seen through.
 */
const ShellConditionSchema = z
  .strictObject({
    commands: OneOrManySchema.optional(),
    /** Tested against the arguments after quote removal, joined by single spaces (redirections included). */
    args: RegexSchema.optional(),
    /** Tested against the program's name (lower-case, no directory) and its arguments, joined by single spaces. */
    line: RegexSchema.optional(),
  })
  .refine((shell) => shell.commands !== undefined || shell.line !== undefined, 'give commands, line, or both');

const SqlKeywordsSchema = z.string().regex(/^\s*[A-Za-z_]+(?:\s+[A-Za-z_]+)*\s*$/, 'a statement is one or more SQL keywords, like "DROP" or "DELETE FROM"');
const SqlStatementsSchema = z.union([SqlKeywordsSchema, z.array(SqlKeywordsSchema).min(1, 'a list needs at least one entry')]);

/**
 * The value is SQL text with a statement that starts with one of `statements`, or with one of
 * `withoutWhere` and has no WHERE that narrows it (`WHERE 1=1` does not). Entries are keywords
 * such as `DROP` or `DELETE FROM`, case-insensitive; comments and string literals are not statements.
 */
const SqlConditionSchema = z
  .strictObject({
    statements: SqlStatementsSchema.optional(),
    withoutWhere: SqlStatementsSchema.optional(),
  })
  .refine((sql) => sql.statements !== undefined || sql.withoutWhere !== undefined, 'give statements, withoutWhere, or both');

/**
 * A condition on the call's arguments: the value at `pointer` (RFC 6901; `""` is the whole arguments
 * object) must match `regex`, be `equals` (a JSON value), contain `contains`, run a `shell` command
 * or an `sql` statement. A regex or contains sees a string as is, a number or boolean as its string
 * form, and anything else as its JSON text, so `{ pointer: "", regex: … }` searches all the
 * arguments. A pointer that resolves to nothing fails the condition. A `shell` or `sql` value that
 * cannot be parsed with confidence counts as matching a deny or approve rule (a person is asked)
 * and as not matching an allow rule: it is never silently allowed.
 */
export const ArgumentConditionSchema = z
  .strictObject({
    pointer: z.string().regex(/^(?:\/(?:[^~]|~[01])*)*$/, 'a JSON pointer is "" (all the arguments) or like "/query" or "/paths/0", with "~" written ~0 and "/" in a name ~1'),
    regex: RegexSchema.optional(),
    equals: z.unknown().optional(),
    contains: z.string().optional(),
    shell: ShellConditionSchema.optional(),
    sql: SqlConditionSchema.optional(),
  })
  .superRefine((condition, ctx) => {
    const given = [condition.regex, condition.equals, condition.contains, condition.shell, condition.sql].filter((test) => test !== undefined).length;
    if (given !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of regex, equals, contains, shell or sql' });
  });
export type ArgumentCondition = z.infer<typeof ArgumentConditionSchema>;

/**
 * What a rule applies to; every condition given must hold, and an absent one holds for any call.
 * `server`, `tool`, `method` and `client` are globs (`*` any run of characters, `?` one; anchored,
 * case-sensitive). With `tool` and no `method`, the method is `tools/call`. For `resources/read`
 * the tool is the resource URI, for `prompts/get` the prompt name.
 */
export const RuleMatchSchema = z.strictObject({
  server: OneOrManySchema.optional(),
  tool: OneOrManySchema.optional(),
  method: OneOrManySchema.optional(),
  client: OneOrManySchema.optional(),
  /** The caller must be in at least one of these groups (exact names, from the identity provider). */
  group: OneOrManySchema.optional(),
  arguments: z.array(ArgumentConditionSchema).optional(),
});
export type RuleMatch = z.infer<typeof RuleMatchSchema>;

/**
 * One rule of a policy. An `approve` rule holds the call for a human for `timeoutSeconds`
 * (set on every parsed approve rule, default 120), then does `onTimeout` (default `deny`).
 */
export const RuleSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'a rule id uses letters, digits, "_", ".", ":" and "-" (max 128)'),
    description: z.string().optional(),
    match: RuleMatchSchema.optional(),
    action: z.enum(['allow', 'deny', 'approve']),
    /** Shown to the agent on deny and to the person deciding on approve. */
    reason: z.string().min(1).optional(),
    timeoutSeconds: z.number().positive().optional(),
    onTimeout: z.enum(['deny', 'allow']).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.action === 'approve') return;
    for (const field of ['timeoutSeconds', 'onTimeout'] as const) {
      if (rule[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `only approve rules wait for a human; remove ${field} or make the action "approve"` });
    }
  })
  .transform((rule) =>
    rule.action === 'approve'
      ? { ...rule, timeoutSeconds: rule.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS, onTimeout: rule.onTimeout ?? 'deny' }
      : rule,
  );
export type Rule = z.infer<typeof RuleSchema>;

/**
 * What a call does when its audit record cannot be written (disk full, read-only, locked):
 * `fail-closed` refuses it with an error saying so; `spool` lets it go on and writes the record to
 * a spool file in the data dir, replayed into the store, in order, once it takes writes again.
 */
export const AuditFailureModeSchema = z.enum(['fail-closed', 'spool']);
export type AuditFailureMode = z.infer<typeof AuditFailureModeSchema>;

/** Ordered rules; the first that matches a call decides it, and `defaultAction` decides the rest. */
export const PolicySchema = z
  .strictObject({
    rules: z.array(RuleSchema),
    defaultAction: z.enum(['allow', 'deny']).default('allow'),
    /** What is masked in what servers return (and in recorded arguments); all detectors by default. */
    masking: MaskingPolicySchema.prefault({}),
    auditFailure: AuditFailureModeSchema.default('fail-closed'),
  })
  .superRefine((policy, ctx) => {
    const firstIndex = new Map<string, number>();
    policy.rules.forEach((rule, index) => {
      const first = firstIndex.get(rule.id);
      if (first === undefined) firstIndex.set(rule.id, index);
      else ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id "${rule.id}": rules.${first}.id has it too` });
    });
  });
export type Policy = z.infer<typeof PolicySchema>;
