/**
 * Where secret values live. Config and database hold only references (`keychain:<name>`); a store
 * turns a name into its value. Calls are synchronous for the CLI and start-up; the gateway reads
 * what an upstream connection needs with `getAsync`, because a keychain read can wait for a person
 * (an unlock prompt) and must not hold up every other session meanwhile.
 */
export interface SecretStore {
  /** `keychain`: the OS credential store; `file`: the explicitly chosen encrypted file; `env`: read-only, from `AIRLOCK_SECRET_<NAME>`. */
  readonly kind: 'keychain' | 'file' | 'env';
  /** A description for messages, e.g. "the Secret Service keychain". */
  readonly description: string;
  get(name: string): string | undefined;
  /** `get` that does not hold up the event loop while the store waits (a keychain's unlock prompt); quick stores answer from `get`. */
  getAsync(name: string): Promise<string | undefined>;
  /** Throws `SecretStoreError` when the store cannot be written (e.g. the read-only env store). */
  set(name: string, value: string): void;
  /** True if it existed. */
  delete(name: string): boolean;
  /** Names only, sorted. */
  list(): string[];
}

/** What resolving references needs of a store: its kind (for the "how to set it" hint) and a sync read. */
export type SecretReader = Pick<SecretStore, 'kind' | 'get'>;

export class SecretStoreError extends Error {
  override name = 'SecretStoreError';
}

/** Secret names: used as keychain account names and in `keychain:<name>` references. */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
