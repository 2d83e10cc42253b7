import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { airlockTarget, applyConnect, applyUndo, listAgentApps, planConnect, planUndo, type ImportTarget } from '../clients/agent-apps.js';
import { CLIENTS, findClient } from '../clients/all-clients.js';
import type { ClientPlace, ClientSpec } from '../clients/client-spec.js';
import { ServerNameSchema } from '../config/config-schema.js';
import { openConnectionRegistry } from '../connections/file-connection-registry.js';
import { RUNTIME_FILE, type RuntimeInfo } from '../gateway.js';
import { createLogger } from '../logger.js';
import { airlockCommand } from '../package-root.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import { readLocalToken } from '../store/local-token.js';
import { parseCommand, resolveConfig, resolveDataDir, UsageError, type CommonValues } from './cli-args.js';

const out = (text: string): void => void process.stdout.write(text + '\n');

/** `airlock connect-client list | <client>`: points an installed agent at Airlock by editing its MCP config. */
export async function connectClientCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {
    server: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    undo: { type: 'boolean' },
    import: { type: 'boolean' },
  });
  const [name, ...rest] = positionals;
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  const place: ClientPlace = { home: homedir(), env: process.env, platform: process.platform };
  if (!name) throw new UsageError(`connect-client needs a client (${CLIENTS.map((c) => c.id).join(', ')}) or "list"`);
  if (name === 'list') return listClients(place);
  const spec = findClient(name);
  if (!spec) throw new UsageError(`unknown client "${name}"; known: ${CLIENTS.map((c) => c.id).join(', ')}`);
  const file = spec.configPath(place);
  const confirm = () => confirmWrite(values.yes === true, values['dry-run'] === true);
  if (values.undo) return undo(spec, place, confirm);

  const server = values.server;
  if (server !== undefined && !ServerNameSchema.safeParse(server).success) throw new UsageError(`"${server}" is not a server name`);
  const dataDir = resolveDataDir(values);
  const importTo = values.import ? openImportTarget(values, dataDir) : undefined;
  const change = planConnect(spec, place, cliTarget(values, dataDir, server), importTo);
  const { diff, dropsComments, imports } = change.view;

  if (imports.length) {
    out(`${spec.label} also reaches ${imports.length} server${imports.length === 1 ? '' : 's'} directly, not through Airlock:`);
    for (const plan of imports) out(`  ${plan.name}${plan.skip ? ` (cannot import: ${plan.skip})` : ''}`);
    if (!values.import) out('  `--import` moves them into Airlock: connections there (their secrets to the secret store), gone from this file.');
  }

  const what = server === undefined ? 'Airlock' : `"${server}" through Airlock`;
  if (!diff) out(`${spec.label} already reaches ${what} (${file}); nothing to change.`);
  else out(diff.trimEnd());
  if (dropsComments) out(`Note: the comments in ${file} are not kept; the backup has them.`);
  if (!diff) return;
  // One confirmation covers the file and the imports; a "no" or a dry run changes neither.
  if (!(await confirm())) return;
  const { backupPath } = applyConnect(change, new Date(), importTo);
  for (const plan of change.imports) {
    const kept = plan.secretKeys.length ? ` (${plan.secretKeys.join(', ')} in ${importTo!.secrets.description})` : '';
    out(`Imported "${plan.name}" as an Airlock connection${kept}.`);
  }
  out(`Wrote ${file}${backupPath ? ` (the original is in ${backupPath})` : ''}. Restart ${spec.label} to pick it up.`);
  if (backupPath && change.imports.some((plan) => plan.secretKeys.length)) {
    out(`Note: the backup still holds the secrets as they were written there (undo needs them); delete ${backupPath} once you no longer need to undo.`);
  }
}

function listClients(place: ClientPlace): void {
  for (const app of listAgentApps(place)) {
    let state = 'not found';
    if (app.error) state = `unreadable: ${app.error}`;
    else if (app.airlockEntries.length) state = `through Airlock (${app.airlockEntries.join(', ')})`;
    else if (existsSync(app.configPath)) state = 'not through Airlock';
    else if (app.installed) state = 'installed, no MCP config yet';
    out(`${app.id.padEnd(15)}${state.padEnd(30)}${app.configPath}`);
  }
}

async function undo(spec: ClientSpec, place: ClientPlace, confirm: () => Promise<boolean>): Promise<void> {
  const file = spec.configPath(place);
  const plan = planUndo(spec, place);
  if (!plan) throw new UsageError(`no backup of ${file} to restore (backups are named ${file}.airlock-backup-<time>)`);
  if (!plan.view.diff) return out(`${file} is already as in ${plan.backup}; nothing to restore.`);
  out(plan.view.diff.trimEnd());
  if (await confirm()) {
    applyUndo(plan);
    out(`Restored ${file} from ${plan.backup}.`);
  }
}

/** `--yes` writes; a terminal is asked; otherwise nothing is written. */
async function confirmWrite(yes: boolean, dryRun: boolean): Promise<boolean> {
  if (dryRun) {
    out('Dry run: nothing written.');
    return false;
  }
  if (yes) return true;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError('not written: pass --yes to write without a terminal to confirm in');
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await prompt.question('Write this change? [y/N] ');
    if (/^y(es)?$/i.test(answer.trim())) return true;
    out('Nothing written.');
    return false;
  } finally {
    prompt.close();
  }
}

/** The entry's gateway URL (the running gateway's, else the config's listen address) and `local` token. */
function cliTarget(values: CommonValues, dataDir: string, server: string | undefined) {
  const token = readLocalToken(dataDir);
  if (!token) throw new UsageError(`no "local" token in ${dataDir}: start the gateway once (\`npm start\` or \`airlock gateway\`) to create it`);
  const runtime = join(dataDir, RUNTIME_FILE);
  let base: string;
  if (existsSync(runtime)) base = (JSON.parse(readFileSync(runtime, 'utf8')) as RuntimeInfo).url;
  else {
    const { listen } = resolveConfig(values).config;
    base = `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${listen.port}`;
  }
  const explicitDataDir = values['data-dir'] ?? process.env.AIRLOCK_DATA_DIR;
  return airlockTarget({ base, token, server, self: airlockCommand(), dataDir: explicitDataDir });
}

function openImportTarget(values: CommonValues, dataDir: string): ImportTarget {
  const logger = createLogger((process.env.AIRLOCK_LOG_LEVEL as never) ?? 'warn');
  const { config, source } = resolveConfig(values);
  const secrets = openSecretStore({ dataDir, logger });
  return { connections: openConnectionRegistry({ config, configFile: source, dataDir, secrets, logger }), secrets };
}
