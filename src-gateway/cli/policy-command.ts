import { compilePolicy, type CallDescription, type Verdict } from '../policy/compile-policy.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { loadPolicyFile } from '../policy/load-policy.js';
import { parseCommand, resolveConfig, UsageError } from './cli-args.js';

const CHECK_EXAMPLE = `airlock policy check demo run_sql --args '{"query": "DROP TABLE customers"}'`;

/** `airlock policy check|validate`: what a policy decides, without a gateway running. */
export async function policyCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {
    policy: { type: 'string' },
    args: { type: 'string' },
    method: { type: 'string' },
    client: { type: 'string' },
    group: { type: 'string', multiple: true },
  });
  const [action, ...rest] = positionals;
  if (action !== 'check' && action !== 'validate') {
    throw new UsageError(action ? `unknown policy action "${action}"` : 'policy needs an action: check or validate');
  }
  const { config } = resolveConfig(values);
  // The policy the gateway would enforce: --policy, else the config's, else the embedded default.
  const file = values.policy ?? config.policy;
  const policy = file === undefined ? DEFAULT_POLICY : loadPolicyFile(file);

  if (action === 'validate') {
    if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    const count = policy.rules.length;
    process.stdout.write(`${file ?? 'embedded default policy'} is valid: ${count} rule${count === 1 ? '' : 's'}, default ${policy.defaultAction}\n`);
    return;
  }

  const [server, tool, ...extra] = rest;
  if (!server || !tool) throw new UsageError(`policy check needs a server and a tool, e.g. \`${CHECK_EXAMPLE}\``);
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const call: CallDescription = {
    server,
    method: values.method ?? 'tools/call',
    tool,
    arguments: parseArguments(values.args),
    client: values.client ?? 'local',
    groups: values.group ?? [],
  };
  process.stdout.write(formatVerdict(compilePolicy(policy).evaluate(call)));
}

function parseArguments(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--args is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--args must be a JSON object, e.g. '{"query": "SELECT 1"}'`);
  }
  return parsed as Record<string, unknown>;
}

/** `approve  (rule approve-destructive-sql: Destructive SQL needs a human)`, and for approve what a timeout does. */
function formatVerdict({ action, rule, reason }: Verdict): string {
  const why = rule ? `rule ${rule.id}${rule.reason ? `: ${rule.reason}` : ''}` : reason;
  const lines = [`${action.padEnd(8)} (${why})`];
  if (action === 'approve' && rule) lines.push(`         waits ${rule.timeoutSeconds} s for a human, then ${rule.onTimeout === 'allow' ? 'allows' : 'denies'}`);
  return lines.join('\n') + '\n';
}
