import { isStdioServer, ServerNameSchema, type ServerConfig } from '../config/config-schema.js';
import { ConnectionError, type ConnectionRegistry } from '../connections/connection-registry.js';
import { secretName, settingsOf, storeSecrets, withSettings } from '../connections/connection-secrets.js';
import { SECRET_NAME, type SecretStore } from '../secrets/secret-store.js';
import type { DirectServer } from './client-spec.js';

/** Env or header keys whose values are kept in the secret store, not in `connections.json`. */
export const SECRET_KEY = /token|key|secret|password|authorization/i;

export interface ImportPlan {
  name: string;
  server: ServerConfig;
  /** The keys whose values go to the secret store as `<name>.<key>`. */
  secretKeys: string[];
  /** Why it will not be imported, if it will not. */
  skip?: string;
}

/**
 * What importing a client's own servers would do. A server is skipped when its name is not a
 * valid Airlock server name, when it is already a connection, or when a value uses the client's
 * `${…}` interpolation, which Airlock would pass on literally.
 */
export function planImport(found: DirectServer[], connections: ConnectionRegistry): ImportPlan[] {
  return found.map(({ name, server }) => {
    const settings = settingsOf(server);
    const secretKeys = Object.entries(settings)
      .filter(([key, value]) => SECRET_KEY.test(key) && !value.startsWith('keychain:'))
      .map(([key]) => key);
    const plan: ImportPlan = { name, server, secretKeys };
    const values = [...Object.values(settings), ...(isStdioServer(server) ? [server.command, ...server.args] : [server.url])];
    if (!ServerNameSchema.safeParse(name).success) plan.skip = 'not a valid Airlock server name';
    else if (connections.get(name)) plan.skip = 'already an Airlock server';
    else if (values.some((value) => value.includes('${'))) plan.skip = 'uses ${…} variables that only the client expands';
    else if (secretKeys.some((key) => !SECRET_NAME.test(secretName(name, key)))) plan.skip = 'a secret key is too long for a secret name';
    return plan;
  });
}

/**
 * Adds one planned server as a local connection, its secret values stored first under
 * `<name>.<key>` and referenced as `keychain:<name>.<key>`, as the control API does. If the
 * connection cannot be added, the stored secrets are put back as they were.
 */
export function importServer(plan: ImportPlan, connections: ConnectionRegistry, secrets: SecretStore): void {
  connections.check(plan.name, 'add');
  const settings = settingsOf(plan.server);
  const refs = Object.fromEntries(plan.secretKeys.map((key) => [key, `keychain:${secretName(plan.name, key)}`]));
  const undo = storeSecrets(secrets, Object.fromEntries(plan.secretKeys.map((key) => [secretName(plan.name, key), settings[key]])));
  try {
    connections.add(plan.name, withSettings(plan.server, refs));
  } catch (error) {
    undo();
    throw error instanceof ConnectionError ? new Error(error.message) : error;
  }
}
