import type { Logger } from '../logger.js';
import { createEnvSecretStore } from './env-secret-store.js';
import { createFileSecretStore, FILE_KEY_VAR } from './file-secret-store.js';
import { createKeychainSecretStore } from './keychain-secret-store.js';
import { layerSecretStores } from './layered-secret-store.js';
import { SecretStoreError, type SecretStore } from './secret-store.js';

/** Chooses where secrets are written: `keychain` (the default), `file` or `env` (read-only). */
export const STORE_CHOICE_VAR = 'AIRLOCK_SECRET_STORE';

export interface OpenSecretStoreOptions {
  dataDir: string;
  logger: Logger;
  env?: Record<string, string | undefined>;
}

/**
 * The gateway's and CLI's secret store: `AIRLOCK_SECRET_<NAME>` overrides first, then the OS
 * keychain, or the encrypted file when `AIRLOCK_SECRET_STORE=file` asks for it. Opening never
 * touches the keychain, so the gateway starts on machines without one; the first use does, and a
 * missing keychain then fails that use with a message saying what to do.
 */
export function openSecretStore({ dataDir, logger, env = process.env }: OpenSecretStoreOptions): SecretStore {
  const overrides = createEnvSecretStore(env);
  const choice = env[STORE_CHOICE_VAR] || 'keychain';
  switch (choice) {
    case 'keychain':
      return layerSecretStores(overrides, createKeychainSecretStore());
    case 'env':
      return layerSecretStores(overrides, undefined);
    case 'file': {
      const file = createFileSecretStore({ dataDir, passphrase: env[FILE_KEY_VAR] });
      logger.warn(
        `secrets are kept in ${file.description}, NOT in the OS keychain (${STORE_CHOICE_VAR}=file): ` +
          `anyone who has that file and ${FILE_KEY_VAR} can read them. Use it only where no keychain runs`,
      );
      return layerSecretStores(overrides, file);
    }
    default:
      throw new SecretStoreError(`${STORE_CHOICE_VAR} must be "keychain", "file" or "env", not "${choice}"`);
  }
}
