import type { RuleView } from '../../../src-gateway/control/contract.js';

/** Long patterns (the default policy's shell and SQL regexes) are cut here; the full text is in a tooltip. */
const SHORT = 60;

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return value === undefined ? [] : [String(value)];
}

function either(values: string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

function shorten(text: string): string {
  return text.length > SHORT ? `${text.slice(0, SHORT - 1)}…` : text;
}

function describeCondition(condition: Record<string, unknown>): string {
  const one = Boolean(condition.pointer);
  const where = one ? `argument ${String(condition.pointer)}` : 'the arguments';
  const verb = (singular: string, plural: string) => `${where} ${one ? singular : plural}`;
  if (condition.regex !== undefined) return `${verb('matches', 'match')} /${shorten(String(condition.regex))}/`;
  if (condition.contains !== undefined) return `${verb('contains', 'contain')} "${shorten(String(condition.contains))}"`;
  if (condition.shell !== undefined) {
    const shell = condition.shell as { commands?: unknown; args?: string; line?: string };
    const names = list(shell.commands);
    const what = names.length > 0 ? either(names) : 'a command';
    const how = shell.args !== undefined ? ` with arguments /${shorten(shell.args)}/` : shell.line !== undefined ? ` matching /${shorten(shell.line)}/` : '';
    return `${verb('runs', 'run')} ${what}${how} (parsed as a shell command)`;
  }
  if (condition.sql !== undefined) {
    const sql = condition.sql as { statements?: unknown; withoutWhere?: unknown };
    const parts = [...list(sql.statements), ...list(sql.withoutWhere).map((statement) => `${statement} without a narrowing WHERE`)];
    return `${verb('runs', 'run')} SQL ${either(parts)}`;
  }
  return `${verb('equals', 'equal')} ${shorten(JSON.stringify(condition.equals))}`;
}

/**
 * A rule's `match` in words, e.g. `tool run_sql on server demo, when argument /query contains "DROP"`.
 * The words mirror the policy's semantics: absent conditions match anything, lists are "or".
 */
export function describeMatch(match: RuleView['match']): string {
  // A lone "*" is written out: "any tool" reads better than "tool *".
  const tools = list(match.tool).filter((tool) => tool !== '*');
  const methods = list(match.method);
  let what: string;
  if (tools.length > 0) {
    const noun = methods.length === 0 || (methods.length === 1 && methods[0] === 'tools/call') ? 'tool' : either(methods);
    what = `${noun} ${either(tools)}`;
  } else if (methods.length > 0) {
    what = `method ${either(methods)}`;
  } else {
    what = match.tool === undefined ? 'any call' : 'any tool';
  }
  const parts = [what];
  const servers = list(match.server).filter((server) => server !== '*');
  parts.push(servers.length > 0 ? `on server ${either(servers)}` : 'on any server');
  const clients = list(match.client);
  if (clients.length > 0) parts.push(`from client ${either(clients)}`);
  const groups = list(match.group);
  if (groups.length > 0) parts.push(`by group ${either(groups)}`);
  let text = parts.join(' ');
  const conditions = Array.isArray(match.arguments) ? (match.arguments as Array<Record<string, unknown>>) : [];
  if (conditions.length > 0) text += `, when ${conditions.map(describeCondition).join(' and ')}`;
  return text;
}

/** The full text of a rule's `match`, for the tooltip of its shortened description. */
export function matchAsText(match: RuleView['match']): string {
  return JSON.stringify(match, null, 1);
}
