import { secretEnvVar } from './env-secret-store.js';
import type { SecretStore } from './secret-store.js';

/**
 * Environment overrides in front of the writable store: `get` asks the overrides first, so CI and
 * headless runs can supply a secret without touching the keychain; `set` and `delete` go to the
 * writable store. Without one (`AIRLOCK_SECRET_STORE=env`), the whole store is read-only.
 */
export function layerSecretStores(overrides: SecretStore, writable: SecretStore | undefined): SecretStore {
  // Without a writable store, the overrides answer `set` and `delete` with their read-only error.
  const target = writable ?? overrides;
  return {
    kind: target.kind,
    description: target.description,
    get: (name) => overrides.get(name) ?? writable?.get(name),
    getAsync: async (name) => (await overrides.getAsync(name)) ?? writable?.getAsync(name),
    set: (name, value) => target.set(name, value),
    delete: (name) => target.delete(name),
    /** An override that shadows a stored name is listed once, under the stored name. */
    list() {
      const stored = writable?.list() ?? [];
      const shadowed = new Set(stored.map(secretEnvVar));
      return [...stored, ...overrides.list().filter((name) => !shadowed.has(secretEnvVar(name)))].sort();
    },
  };
}
