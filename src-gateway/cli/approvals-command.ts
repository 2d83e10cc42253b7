import type { PendingApproval } from '../approvals/approval-types.js';
import { parseCommand, resolveDataDir, UsageError } from './cli-args.js';
import { callControl } from './control-client.js';

/** `airlock approvals list|allow <id>|deny <id>`: the terminal channel for held calls. */
export async function approvalsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {
    session: { type: 'boolean' },
    always: { type: 'boolean' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [action, idOrPrefix] = positionals;
  const dataDir = resolveDataDir(values);
  const pending = await callControl<PendingApproval[]>(dataDir, 'GET', '/control/approvals');
  if (action === 'list') {
    if (values.json) {
      process.stdout.write(JSON.stringify(pending, null, 2) + '\n');
      return;
    }
    if (pending.length === 0) process.stdout.write('no calls are waiting for approval\n');
    for (const p of pending) {
      const left = Math.max(0, Math.round((p.expiresAt - Date.now()) / 1000));
      process.stdout.write(`${p.id.slice(0, 8)}  ${p.client} → ${p.server}: ${p.tool ?? p.method} ${JSON.stringify(p.arguments)}  rule ${p.ruleId}  ${left}s left\n`);
    }
    return;
  }
  if (action !== 'allow' && action !== 'deny') {
    throw new UsageError(action ? `unknown approvals action "${action}"` : 'approvals needs an action: list, allow or deny');
  }
  if (!idOrPrefix) throw new UsageError(`approvals ${action} needs an approval id (see \`airlock approvals list\`)`);
  const matches = pending.filter((p) => p.id.startsWith(idOrPrefix));
  if (matches.length !== 1) throw new UsageError(`no single pending approval matches "${idOrPrefix}"`);
  if (values.session && values.always) throw new UsageError('choose one of --session and --always');
  const decision = action === 'deny' ? 'deny' : values.always ? 'allow-always' : values.session ? 'allow-session' : 'allow-once';
  await callControl(dataDir, 'POST', `/control/approvals/${encodeURIComponent(matches[0].id)}/decision`, { decision, reason: values.reason, binding: matches[0].binding });
  process.stdout.write(`${decision}: ${matches[0].tool ?? matches[0].method} on ${matches[0].server}\n`);
}
