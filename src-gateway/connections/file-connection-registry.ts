import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../atomic-file.js';
import { ConfigSchema, HttpServerSchema, isStdioServer, ServerNameSchema, StdioServerSchema, type Config, type ServerConfig } from '../config/config-schema.js';
import type { Logger } from '../logger.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { ConnectionError, type Connection, type ConnectionRegistry } from './connection-registry.js';
import { isOwnSecret, secretRefs } from './connection-secrets.js';

/** The file in the data dir holding the servers added through the control API. */
export const CONNECTIONS_FILE = 'connections.json';

/** Validated with the config file's own server schema, so both accept exactly the same servers. */
const ConnectionsFileSchema = z.strictObject({ servers: ConfigSchema.shape.servers });

/** What the registry is opened with; `startGateway` passes the loaded config and its file. */
export interface ConnectionRegistryOptions {
  config: Config;
  dataDir: string;
  /** Secrets named `<connection>.<key>` belong to that connection and go when it stops referencing them. */
  secrets: SecretStore;
  /** The config file the `config` servers come from, named in refusals; absent for the embedded default. */
  configFile?: string | null;
  logger: Logger;
}

/**
 * The config's servers (read-only here) plus the local ones kept in `<dataDir>/connections.json`.
 * A broken file is reported and left untouched: the config's servers still work, and local changes
 * are refused until the file is fixed, so the connections in it are never overwritten.
 */
export function openConnectionRegistry({ config, dataDir, secrets, configFile, logger }: ConnectionRegistryOptions): ConnectionRegistry {
  const file = join(dataDir, CONNECTIONS_FILE);
  // Maps, not objects: a server named "constructor" must not find Object.prototype's.
  const configured = new Map(Object.entries(config.servers));
  const configName = configFile ?? 'the embedded default config';
  const listeners = new Set<(names: string[]) => void>();
  let local = new Map<string, ServerConfig>();
  let broken: string | undefined;

  function load(): void {
    const read = readConnectionsFile(file);
    broken = read.ok ? undefined : read.message;
    if (!read.ok) return logger.error(`${read.message}. Servers from ${configName} still work; local connections are not loaded or changed until it is fixed`);
    local = new Map(Object.entries(read.servers));
    const shadowed = [...local.keys()].filter((name) => configured.has(name));
    if (shadowed.length) logger.warn(`${file}: ${shadowed.join(', ')} also in ${configName}, which wins`);
  }

  /** Local changes need a readable file; it is read again first, in case it was fixed meanwhile. */
  function writable(): void {
    if (broken !== undefined) load();
    if (broken !== undefined) throw new ConnectionError('conflict', `${broken}. Fix or remove it, then try again`);
  }

  function check(name: string, change: 'add' | 'update' | 'remove'): void {
    const named = ServerNameSchema.safeParse(name);
    if (!named.success) throw new ConnectionError('invalid', `"${name}": ${named.error.issues[0].message}`);
    writable();
    if (change !== 'add') return assertEditable(name);
    if (configured.has(name)) throw new ConnectionError('conflict', `"${name}" is already a server in ${configName}; choose another name`);
    if (local.has(name)) throw new ConnectionError('conflict', `a connection named "${name}" already exists; choose another name or edit it`);
  }

  function assertEditable(name: string): void {
    if (configured.has(name)) throw new ConnectionError('read-only', `"${name}" comes from ${configName}; change it there`);
    if (!local.has(name)) throw new ConnectionError('not-found', `no connection "${name}"`);
  }

  /** Memory changes only once the file has. */
  function save(next: Map<string, ServerConfig>): void {
    writeFileAtomically(file, JSON.stringify({ servers: Object.fromEntries(next) }, null, 2) + '\n', 0o600);
    local = next;
  }

  function changed(name: string): void {
    for (const listener of listeners) listener([name]);
  }

  /** A connection's own secrets that its new config (if any) no longer references. */
  function dropUnusedSecrets(name: string, before: ServerConfig, after?: ServerConfig): void {
    const kept = new Set(after ? secretRefs(after) : []);
    for (const ref of secretRefs(before)) {
      if (!isOwnSecret(name, ref) || kept.has(ref)) continue;
      try {
        secrets.delete(ref);
      } catch (error) {
        logger.warn(`could not delete the secret "${ref}" of connection "${name}" from ${secrets.description}: ${(error as Error).message}`);
      }
    }
  }

  load();

  return {
    get: (name) => configured.get(name) ?? local.get(name),

    list: () => [
      ...[...configured].map(([name, server]): Connection => ({ name, server, source: 'config' })),
      ...[...local]
        .filter(([name]) => !configured.has(name))
        .map(([name, server]): Connection => ({ name, server, source: 'local' })),
    ],

    check,

    add(name, server) {
      check(name, 'add');
      const valid = validate(server);
      save(new Map(local).set(name, valid));
      changed(name);
      return { name, server: valid, source: 'local' };
    },

    update(name, server) {
      check(name, 'update');
      const valid = validate(server);
      const before = local.get(name)!;
      save(new Map(local).set(name, valid));
      dropUnusedSecrets(name, before, valid);
      changed(name);
      return { name, server: valid, source: 'local' };
    },

    remove(name) {
      check(name, 'remove');
      const before = local.get(name)!;
      const rest = new Map(local);
      rest.delete(name);
      save(rest);
      dropUnusedSecrets(name, before);
      changed(name);
    },

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

type ReadResult = { ok: true; servers: Record<string, ServerConfig> } | { ok: false; message: string };

function readConnectionsFile(file: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { ok: true, servers: {} } : { ok: false, message: `cannot read ${file}: ${code ?? error}` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `${file} is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = ConnectionsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    return { ok: false, message: `${file} is invalid (${issues.join('; ')})` };
  }
  return { ok: true, servers: parsed.data.servers };
}

function validate(server: ServerConfig): ServerConfig {
  const parsed = isStdioServer(server) ? StdioServerSchema.safeParse(server) : HttpServerSchema.safeParse(server);
  if (!parsed.success) {
    throw new ConnectionError('invalid', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

