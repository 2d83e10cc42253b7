import { ClientTokens, isValidClientName } from '../store/client-tokens.js';
import { openDatabase } from '../store/open-database.js';
import { parseCommand, resolveConfig, resolveDataDir, UsageError } from './cli-args.js';

/** `airlock token create|list|revoke`: per-client bearer tokens for agents. */
export async function tokenCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {});
  const [action, clientName, ...rest] = positionals;
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  resolveConfig(values); // a broken --config is reported, as with every command
  if (action === 'create' || action === 'revoke') {
    if (!clientName) throw new UsageError(`token ${action} needs a client name, e.g. \`airlock token ${action} cursor\``);
    if (!isValidClientName(clientName)) throw new UsageError(`client names use letters, digits, "_", ".", "@" and "-": "${clientName}"`);
  }
  const db = openDatabase(resolveDataDir(values));
  try {
    const tokens = new ClientTokens(db);
    if (action === 'create') {
      process.stdout.write(tokens.create(clientName) + '\n');
    } else if (action === 'revoke') {
      const count = tokens.revoke(clientName);
      if (count === 0) throw new UsageError(`client "${clientName}" has no live token`);
      process.stdout.write(`revoked ${count} token${count === 1 ? '' : 's'} of "${clientName}"\n`);
    } else if (action === 'list') {
      const rows = tokens.all();
      if (rows.length === 0) process.stdout.write('no clients yet: `airlock token create <client>` makes one\n');
      for (const row of rows) {
        const state = row.revoked_at ? `revoked ${new Date(row.revoked_at).toISOString()}` : 'active';
        process.stdout.write(`${row.name}\tcreated ${new Date(row.created_at).toISOString()}\t${state}\n`);
      }
    } else {
      throw new UsageError(action ? `unknown token action "${action}"` : 'token needs an action: create, list or revoke');
    }
  } finally {
    db.close();
  }
}
