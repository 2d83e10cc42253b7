import { SECRET_NAME, SecretStoreError, type SecretStore } from './secret-store.js';

const PREFIX = 'AIRLOCK_SECRET_';

/** These configure the secret store itself; they are never read as the secrets "store" or "file-key". */
const SETTINGS = new Set([`${PREFIX}STORE`, `${PREFIX}FILE_KEY`]);

/**
 * The environment variable that overrides a secret: `AIRLOCK_SECRET_` and the name upper-cased,
 * other characters as `_`, e.g. `remote-token` → `AIRLOCK_SECRET_REMOTE_TOKEN`.
 */
export function secretEnvVar(name: string): string {
  return PREFIX + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/**
 * Secrets from `AIRLOCK_SECRET_<NAME>` variables, read-only: for CI and headless machines, and as
 * the override layer in front of the keychain.
 */
export function createEnvSecretStore(env: Record<string, string | undefined>): SecretStore {
  const readOnly = (name: string) =>
    new SecretStoreError(`secrets come from environment variables here, which Airlock cannot change: set or unset ${secretEnvVar(name)} instead`);
  const get = (name: string) => {
    const variable = secretEnvVar(name);
    return SETTINGS.has(variable) ? undefined : env[variable];
  };
  return {
    kind: 'env',
    description: 'environment variables (AIRLOCK_SECRET_<NAME>)',
    get,
    getAsync: async (name) => get(name),
    set(name) {
      throw readOnly(name);
    },
    delete(name) {
      throw readOnly(name);
    },
    /** The variable names map back to lower-case names with `_`, which resolve to the same variable. */
    list() {
      return Object.keys(env)
        .filter((key) => key.startsWith(PREFIX) && !SETTINGS.has(key) && env[key] !== undefined)
        .map((key) => key.slice(PREFIX.length).toLowerCase())
        .filter((name) => SECRET_NAME.test(name))
        .sort();
    },
  };
}
