/**
 * Where secret values live. Config and database hold only references (`keychain:<name>`); a store
 * turns a name into its value. Calls are synchronous because the OS keychain bindings are, and a
 * value is needed only when an upstream connection opens.
 */
export interface SecretStore {
  /** `keychain`: the OS credential store; `file`: the explicitly chosen encrypted file; `env`: read-only, from `AIRLOCK_SECRET_<NAME>`. */
  readonly kind: 'keychain' | 'file' | 'env';
  /** A description for messages, e.g. "the Secret Service keychain". */
  readonly description: string;
  get(name: string): string | undefined;
  /** Throws `SecretStoreError` when the store cannot be written (e.g. the read-only env store). */
  set(name: string, value: string): void;
  /** True if it existed. */
  delete(name: string): boolean;
  /** Names only, sorted. */
  list(): string[];
}

export class SecretStoreError extends Error {
  override name = 'SecretStoreError';
}

/** Secret names: used as keychain account names and in `keychain:<name>` references. */
export const SECRET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
