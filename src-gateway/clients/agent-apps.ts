import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentAppChangeView, AgentAppView } from '../control/contract.js';
import { CLIENTS } from './all-clients.js';
import type { ConnectionRegistry } from '../connections/connection-registry.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { AGGREGATE_ENTRY, airlockEntries, directServers, ENTRY_PREFIX, withEntry, withoutEntry, type AirlockTarget, type ClientPlace, type ClientSpec } from './client-spec.js';
import { importServer, planImport, type ImportPlan } from './import-servers.js';
import { writeFileAtomically } from '../atomic-file.js';
import { backupFile, latestBackup } from './config-file.js';
import { formatConfig, parseConfigText } from './config-text.js';
import { unifiedDiff } from './line-diff.js';

/**
 * Pointing agent apps (Claude Desktop, Claude Code, Cursor, VS Code, Windsurf) at Airlock by
 * editing their own MCP config: shared by `airlock connect-client` and the tray window's control
 * routes, so both show the same diff and write the same file the same way.
 */

/** What the entry points at: the gateway and, unless `server` names one, its aggregate endpoint. */
export interface TargetOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:7400`. */
  base: string;
  /** The `local` client's token. */
  token: string;
  /** One connection's endpoint instead of the aggregate one. */
  server?: string;
  /** How to run this installation's CLI (`airlockCommand()`), for the stdio form. */
  self: { command: string; args: string[]; env: Record<string, string> };
  /** Passed to `airlock connect` when the gateway does not use the default data dir. */
  dataDir?: string;
}

/** The entry's name and what it holds, for the aggregate endpoint or one server. */
export function airlockTarget({ base, token, server, self, dataDir }: TargetOptions): { entryName: string; target: AirlockTarget } {
  const path = server === undefined ? '/mcp' : `/servers/${encodeURIComponent(server)}/mcp`;
  return {
    entryName: server === undefined ? AGGREGATE_ENTRY : ENTRY_PREFIX + server,
    target: {
      endpoint: new URL(path, base).href,
      token,
      command: self.command,
      args: [...self.args, 'connect', ...(server === undefined ? [] : [server]), ...(dataDir ? ['--data-dir', dataDir] : [])],
      env: self.env,
    },
  };
}

/** Every known app with its state; an unreadable config is reported, not thrown. */
export function listAgentApps(place: ClientPlace): AgentAppView[] {
  return CLIENTS.map((spec) => {
    const configPath = spec.configPath(place);
    const view: AgentAppView = {
      id: spec.id,
      label: spec.label,
      configPath,
      // A config folder of its own says the app is there; the home dir itself (Claude Code's) says nothing.
      installed: existsSync(configPath) || (dirname(configPath) !== place.home && existsSync(dirname(configPath))),
      airlockEntries: [],
      directServers: [],
      canUndo: latestBackup(configPath) !== undefined,
    };
    try {
      const { doc } = readConfig(spec, configPath);
      view.airlockEntries = airlockEntries(doc, spec);
      view.directServers = directServers(doc, spec).map((found) => found.name);
    } catch (error) {
      view.error = (error as Error).message;
    }
    return view;
  });
}

/** A change to one app's config, computed but not written. */
export interface PlannedChange {
  view: AgentAppChangeView;
  /** The file's new text; undefined when there is nothing to write. */
  after?: string;
  /** The app's own servers that become Airlock connections when the change is applied. */
  imports: ImportPlan[];
}

/** Where imported servers go: the gateway's connections, their secrets to its secret store. */
export interface ImportTarget {
  connections: ConnectionRegistry;
  secrets: SecretStore;
}

/**
 * What adding the Airlock entry would change. With `importTo`, the servers the app reaches
 * directly that can be imported also leave its config, in the same diff. Throws `ClientConfigError`
 * for a config it cannot read.
 */
export function planConnect(spec: ClientSpec, place: ClientPlace, entry: ReturnType<typeof airlockTarget>, importTo?: ImportTarget): PlannedChange {
  const configPath = spec.configPath(place);
  const { before, doc, indent, hadComments } = readConfig(spec, configPath);
  const direct = directServers(doc, spec);
  const plans: ImportPlan[] = importTo ? planImport(direct, importTo.connections) : direct.map(({ name, server }) => ({ name, server, secretKeys: [] }));
  const imports = importTo ? plans.filter((plan) => !plan.skip) : [];
  let next = withEntry(doc, spec, entry.entryName, spec.airlockEntry(entry.target));
  for (const plan of imports) next = withoutEntry(next, spec, plan.name);
  const after = formatConfig(next, indent);
  const diff = unifiedDiff(before, after, configPath, `${configPath} (with Airlock)`);
  return {
    view: {
      id: spec.id, configPath, diff, dropsComments: diff !== '' && hadComments, written: false,
      imports: plans.map(({ name, secretKeys, skip }) => ({ name, secretKeys, ...(skip ? { skip } : {}) })),
    },
    after: diff ? after : undefined,
    imports,
  };
}

/** What restoring the newest backup would change; undefined when there is no backup. */
export function planUndo(spec: ClientSpec, place: ClientPlace): (PlannedChange & { backup: string }) | undefined {
  const configPath = spec.configPath(place);
  const backup = latestBackup(configPath);
  if (!backup) return undefined;
  const saved = readFileSync(backup, 'utf8');
  const current = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
  const diff = unifiedDiff(current, saved, configPath, backup);
  return {
    view: { id: spec.id, configPath, diff, dropsComments: false, backupPath: backup, written: false, imports: [] },
    after: diff ? saved : undefined,
    imports: [],
    backup,
  };
}

/**
 * Writes a planned connect. Imported servers become connections first, so the app's config never
 * loses an entry Airlock does not yet serve (an import that fails stops the change there). Then
 * the original file (if any) is copied to a backup and replaced atomically. A plan with nothing to
 * change writes nothing.
 */
export function applyConnect(plan: PlannedChange, now: Date, importTo?: ImportTarget): AgentAppChangeView {
  if (plan.imports.length && !importTo) throw new Error('applyConnect: the plan imports servers but no import target was given');
  for (const imported of plan.imports) importServer(imported, importTo!.connections, importTo!.secrets);
  if (plan.after === undefined) return plan.view;
  const file = plan.view.configPath;
  const backupPath = existsSync(file) ? backupFile(file, now) : undefined;
  writeFileAtomically(file, plan.after);
  return { ...plan.view, backupPath, written: true };
}

/** Restores the backup a planned undo read; the backup itself is kept. */
export function applyUndo(plan: PlannedChange & { backup: string }): AgentAppChangeView {
  if (plan.after === undefined) return plan.view;
  writeFileAtomically(plan.view.configPath, readFileSync(plan.backup));
  return { ...plan.view, written: true };
}

function readConfig(spec: ClientSpec, configPath: string) {
  const before = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
  return { before, ...parseConfigText(before, configPath, spec.comments) };
}
