import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { CLIENTS, findClient } from '../clients/all-clients.js';
import { airlockEntries, directServers, ENTRY_PREFIX, withEntry, type AirlockTarget, type ClientPlace } from '../clients/client-spec.js';
import { backupFile, latestBackup, writeFileAtomically } from '../clients/config-file.js';
import { formatConfig, parseConfigText } from '../clients/config-text.js';
import { importServer, planImport } from '../clients/import-servers.js';
import { unifiedDiff } from '../clients/line-diff.js';
import { ServerNameSchema } from '../config/config-schema.js';
import { openConnectionRegistry } from '../connections/file-connection-registry.js';
import { RUNTIME_FILE, type RuntimeInfo } from '../gateway.js';
import { createLogger } from '../logger.js';
import { AIRLOCK_BIN } from '../package-root.js';
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
  if (values.undo) return undo(file, confirm);

  const server = values.server ?? 'demo';
  if (!ServerNameSchema.safeParse(server).success) throw new UsageError(`"${server}" is not a server name`);
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const { doc, indent, hadComments } = parseConfigText(before, file, spec.comments);
  const dataDir = resolveDataDir(values);
  const target = airlockTarget(values, dataDir, server);
  const after = formatConfig(withEntry(doc, spec, ENTRY_PREFIX + server, spec.airlockEntry(target)), indent);

  const found = directServers(doc, spec);
  const opened = found.length ? openRegistry(values, dataDir) : undefined;
  const plans = opened ? planImport(found, opened.registry) : [];
  if (plans.length) {
    out(`${spec.label} also reaches ${plans.length} server${plans.length === 1 ? '' : 's'} directly, not through Airlock:`);
    for (const plan of plans) out(`  ${plan.name}${plan.skip ? ` (cannot import: ${plan.skip})` : ''}`);
    if (!values.import) out('  `--import` adds them as Airlock connections (their secrets go to the secret store).');
  }

  const diff = unifiedDiff(before, after, file, `${file} (with Airlock)`);
  const importable = values.import ? plans.filter((plan) => !plan.skip) : [];
  if (!diff) out(`${spec.label} already reaches "${server}" through Airlock (${file}); nothing to change.`);
  else out(diff.trimEnd());
  if (diff && hadComments) out(`Note: the comments in ${file} are not kept; the backup has them.`);
  if (!diff && importable.length === 0) return;
  // One confirmation covers the file and the imports; a "no" or a dry run changes neither.
  if (!(await confirm())) return;
  if (diff) {
    const backup = existsSync(file) ? backupFile(file, new Date()) : undefined;
    writeFileAtomically(file, after);
    out(`Wrote ${file}${backup ? ` (the original is in ${backup})` : ''}. Restart ${spec.label} to pick it up.`);
  }
  for (const plan of importable) {
    importServer(plan, opened!.registry, opened!.secrets);
    const kept = plan.secretKeys.length ? ` (${plan.secretKeys.join(', ')} in ${opened!.secrets.description})` : '';
    out(`Imported "${plan.name}" as an Airlock connection${kept}: agents reach it at /servers/${plan.name}/mcp.`);
  }
}

function listClients(place: ClientPlace): void {
  for (const spec of CLIENTS) {
    const file = spec.configPath(place);
    const installed = existsSync(file) || existsSync(dirname(file));
    let state = 'not found';
    if (existsSync(file)) {
      try {
        const entries = airlockEntries(parseConfigText(readFileSync(file, 'utf8'), file, spec.comments).doc, spec);
        state = entries.length ? `through Airlock (${entries.join(', ')})` : 'not through Airlock';
      } catch (error) {
        state = `unreadable: ${(error as Error).message}`;
      }
    } else if (installed) {
      state = 'installed, no MCP config yet';
    }
    out(`${spec.id.padEnd(15)}${state.padEnd(30)}${file}`);
  }
}

async function undo(file: string, confirm: () => Promise<boolean>): Promise<void> {
  const backup = latestBackup(file);
  if (!backup) throw new UsageError(`no backup of ${file} to restore (backups are named ${file}.airlock-backup-<time>)`);
  const saved = readFileSync(backup);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const diff = unifiedDiff(current, saved.toString('utf8'), file, backup);
  if (!diff) return out(`${file} is already as in ${backup}; nothing to restore.`);
  out(diff.trimEnd());
  if (await confirm()) {
    writeFileAtomically(file, saved);
    out(`Restored ${file} from ${backup}.`);
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
function airlockTarget(values: CommonValues, dataDir: string, server: string): AirlockTarget {
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
  return {
    endpoint: new URL(`/servers/${encodeURIComponent(server)}/mcp`, base).href,
    token,
    command: process.execPath,
    args: [AIRLOCK_BIN, 'connect', server, ...(explicitDataDir ? ['--data-dir', explicitDataDir] : [])],
  };
}

function openRegistry(values: CommonValues, dataDir: string) {
  const logger = createLogger((process.env.AIRLOCK_LOG_LEVEL as never) ?? 'warn');
  const { config, source } = resolveConfig(values);
  const secrets = openSecretStore({ dataDir, logger });
  return { registry: openConnectionRegistry({ config, configFile: source, dataDir, secrets, logger }), secrets };
}
