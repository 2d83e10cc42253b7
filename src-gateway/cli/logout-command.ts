import type { OrgStatusView } from '../control/contract.js';
import { parseCommand, resolveDataDir, UsageError } from './cli-args.js';
import { callControl } from './control-client.js';

/** `airlock logout`: the running gateway revokes its org tokens at the issuer and forgets them. */
export async function logoutCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {});
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const status = await callControl<OrgStatusView>(resolveDataDir(values), 'POST', '/control/org/logout');
  process.stdout.write(status.identity ? 'still signed in: see the gateway log\n' : `signed out of ${status.issuer}\n`);
}
