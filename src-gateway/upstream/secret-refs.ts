import { secretEnvVar } from '../secrets/env-secret-store.js';
import { SecretStoreError, type SecretReader, type SecretStore } from '../secrets/secret-store.js';
import { plainCredentialValues } from './plain-credentials.js';

/**
 * Config and database keep secrets as references (`keychain:<name>`), never values; they are
 * resolved through the secret store only where an upstream connection opens.
 */
const SECRET_REF = /keychain:([A-Za-z0-9][A-Za-z0-9_.-]*)/g;

/** A referenced secret that is not set or cannot be read. The message names the secret, never a value. */
export class MissingSecretError extends Error {
  override name = 'MissingSecretError';
}

/** How a person supplies the secret to this store. */
function howToSet(name: string, store: SecretReader): string {
  if (store.kind === 'env') return `set ${secretEnvVar(name)}`;
  return `store it with \`airlock secret set ${name}\` or set ${secretEnvVar(name)}`;
}

/** A store's failure to read, as the named secret; anything else is not the store's and passes through. */
function unreadable(name: string, error: unknown): unknown {
  if (!(error instanceof SecretStoreError)) return error;
  return new MissingSecretError(`secret "${name}" cannot be read: ${error.message}. Alternatively, set ${secretEnvVar(name)}`);
}

function present(name: string, value: string | undefined, store: SecretReader): string {
  if (value === undefined) throw new MissingSecretError(`secret "${name}" is not set (${howToSet(name, store)})`);
  return value;
}

function readSecret(name: string, store: SecretReader): string {
  let value: string | undefined;
  try {
    value = store.get(name);
  } catch (error) {
    throw unreadable(name, error);
  }
  return present(name, value, store);
}

/** The names `values` references, in the order the sync functions below read them. */
function referencedNames(values: Record<string, string>): string[] {
  return Object.values(values).flatMap((value) => [...value.matchAll(SECRET_REF)].map(([, name]) => name));
}

/**
 * Reads every secret `values` references with `getAsync`, one after the other (a locked keychain
 * asks to be unlocked once), so a read that waits for a person holds up only this connection and
 * never the gateway's event loop. Returns what was read as a `SecretReader` for the functions
 * below; throws `MissingSecretError` for the first secret that is not set or cannot be read, as
 * they would.
 */
export async function prefetchSecrets(values: Record<string, string>, store: SecretStore): Promise<SecretReader> {
  const read = new Map<string, string>();
  for (const name of referencedNames(values)) {
    if (read.has(name)) continue;
    let value: string | undefined;
    try {
      value = await store.getAsync(name);
    } catch (error) {
      throw unreadable(name, error);
    }
    read.set(name, present(name, value, store));
  }
  return { kind: store.kind, get: (name) => read.get(name) };
}

/** Replaces every secret reference inside `value`; throws `MissingSecretError` naming the secret if one is unset. */
export function resolveSecretRefs(value: string, store: SecretReader): string {
  return value.replace(SECRET_REF, (_match, name: string) => readSecret(name, store));
}

/** `resolveSecretRefs` over each value of an env or header map. */
export function resolveSecretMap(values: Record<string, string>, store: SecretReader): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, resolveSecretRefs(value, store)]));
}

/** The values of the secrets `values` references, as the store has them: what must never be logged. */
export function referencedSecretValues(values: Record<string, string>, store: SecretReader): string[] {
  return referencedNames(values).map((name) => readSecret(name, store));
}

/**
 * Every credential Airlock hands a server through `values` (its env or headers), to be cut from
 * what the server sends back and from its log: the keychain values referenced, and the plain values
 * the credential-name rule picks (`plainCredentialValues`). A value holding a reference is not
 * plain: its secret part is the referenced value, the rest (`Bearer `) is not secret.
 */
export function injectedSecretValues(values: Record<string, string>, store: SecretReader): string[] {
  const plain = Object.fromEntries(Object.entries(values).filter(([, value]) => value.search(SECRET_REF) === -1));
  return [...referencedSecretValues(values, store), ...plainCredentialValues(plain)];
}
