/** The "Add a rule" form's fields, as typed. */
export interface RuleDraft {
  action: 'deny' | 'approve';
  server: string;
  tool: string;
  /** JSON pointer of the argument to test; the condition is left out while `value` is empty. */
  pointer: string;
  test: 'contains' | 'regex' | 'equals';
  value: string;
  reason: string;
  id: string;
  /** Whether the person typed the id; until then it follows the other fields. */
  idEdited: boolean;
}

/** The form as it opens: a deny rule for nothing yet. */
export const EMPTY_DRAFT: RuleDraft = {
  action: 'deny',
  server: '',
  tool: '',
  pointer: '',
  test: 'contains',
  value: '',
  reason: '',
  id: '',
  idEdited: false,
};

/** Characters a rule id may hold (the policy schema's `id` pattern), the rest become "-". */
function slug(text: string, max: number): string {
  return text
    .replace(/[^A-Za-z0-9_.:-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/** An id that says what the rule does, e.g. `deny-demo-run_sql-drop`; at most 128 characters. */
export function suggestRuleId(draft: Pick<RuleDraft, 'action' | 'server' | 'tool' | 'value'>): string {
  const parts = [draft.action, slug(draft.server, 40) || 'any-server', slug(draft.tool, 40) || 'any-tool'];
  const value = slug(draft.value, 24);
  if (value) parts.push(value);
  return parts.join('-').slice(0, 128);
}

/** `equals` compares JSON values: `42` is the number, `"42"` the string; text that is not JSON is a string. */
function parseEqualsValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The rule the API gets for a draft, or the reason there is none yet. The policy schema validates
 * the rest (id pattern, regex syntax, pointer form) and its messages are shown next to the form.
 */
export function draftToRule(draft: RuleDraft): { rule: Record<string, unknown> } | { problem: string } {
  const server = draft.server.trim();
  const tool = draft.tool.trim();
  if (!server && !tool) return { problem: 'Name a server or a tool: a rule with neither would match every call.' };
  const match: Record<string, unknown> = {};
  if (server) match.server = server;
  if (tool) match.tool = tool;
  if (draft.value !== '') {
    const test = draft.test === 'equals' ? parseEqualsValue(draft.value) : draft.value;
    match.arguments = [{ pointer: draft.pointer.trim(), [draft.test]: test }];
  }
  const rule: Record<string, unknown> = { id: draft.id.trim() || suggestRuleId(draft), action: draft.action, match };
  if (draft.reason.trim()) rule.reason = draft.reason.trim();
  return { rule };
}

/** Which form field an API error path (`rule.match.arguments.0.regex`) belongs to. */
export function fieldOfPath(path: string): keyof RuleDraft | undefined {
  if (path === 'rule.id') return 'id';
  if (path === 'rule.reason') return 'reason';
  if (path === 'rule.action') return 'action';
  if (path.startsWith('rule.match.server')) return 'server';
  if (path.startsWith('rule.match.tool')) return 'tool';
  if (/^rule\.match\.arguments\.\d+\.pointer/.test(path)) return 'pointer';
  if (path.startsWith('rule.match.arguments')) return 'value';
  return undefined;
}
