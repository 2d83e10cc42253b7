import { isStdioServer, type ServerConfig } from '../config/config-schema.js';
import type { SecretStore } from '../secrets/secret-store.js';

/** Same shape as the references `upstream/secret-refs.ts` resolves. */
const SECRET_REF = /keychain:([A-Za-z0-9][A-Za-z0-9_.-]*)/g;

/** Where a server's secrets go: environment variables for a stdio server, headers for an HTTP one. */
export function settingsOf(server: ServerConfig): Record<string, string> {
  return isStdioServer(server) ? server.env : server.headers;
}

/** The secret store name of a connection's secret: `<connection>.<key>`. */
export function secretName(connection: string, key: string): string {
  return `${connection}.${key}`;
}

/** Whether a secret name is one of the connection's own (`<connection>.<key>`), not a shared one. */
export function isOwnSecret(connection: string, name: string): boolean {
  const key = name.slice(connection.length + 1);
  return name.startsWith(`${connection}.`) && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key);
}

/** The secret names a server's env or headers reference. */
export function secretRefs(server: ServerConfig): string[] {
  return Object.values(settingsOf(server)).flatMap((value) => [...value.matchAll(SECRET_REF)].map((match) => match[1]));
}

/** The env or header keys whose value references a secret. */
export function secretKeys(server: ServerConfig): string[] {
  return Object.entries(settingsOf(server))
    .filter(([, value]) => value.match(SECRET_REF) !== null)
    .map(([key]) => key);
}

/** The server with `settings` merged into its env (stdio) or headers (HTTP). */
export function withSettings(server: ServerConfig, settings: Record<string, string>): ServerConfig {
  return isStdioServer(server) ? { ...server, env: { ...server.env, ...settings } } : { ...server, headers: { ...server.headers, ...settings } };
}

/**
 * Stores each value under its name, all or nothing: if one cannot be stored, those already stored
 * are put back as they were and the store's error is thrown. Returns the undo, for a caller whose
 * next step fails.
 */
export function storeSecrets(store: SecretStore, values: Record<string, string>): () => void {
  const previous = new Map<string, string | undefined>();
  const undo = () => {
    for (const [name, value] of previous) {
      if (value === undefined) store.delete(name);
      else store.set(name, value);
    }
  };
  try {
    for (const [name, value] of Object.entries(values)) {
      const before = store.get(name);
      store.set(name, value);
      previous.set(name, before);
    }
  } catch (error) {
    undo();
    throw error;
  }
  return undo;
}
