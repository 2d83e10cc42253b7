import type { OrgStatusView } from '../control/contract.js';
import { parseCommand, resolveDataDir, UsageError } from './cli-args.js';
import { callControl } from './control-client.js';
import { describeOrgStatus } from './org-status-text.js';

/** `airlock org status [--json]`, `airlock org sync`: org mode of the running gateway. */
export async function orgCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, { json: { type: 'boolean' } });
  const [action, ...rest] = positionals;
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  const dataDir = resolveDataDir(values);
  let status: OrgStatusView;
  if (action === 'status') status = await callControl<OrgStatusView>(dataDir, 'GET', '/control/org');
  else if (action === 'sync') status = await callControl<OrgStatusView>(dataDir, 'POST', '/control/org/sync');
  else throw new UsageError(action ? `unknown org action "${action}"` : 'org needs an action: status or sync');
  process.stdout.write((values.json ? JSON.stringify(status) : describeOrgStatus(status)) + '\n');
}
