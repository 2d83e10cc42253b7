import { secretEnvVar } from '../secrets/env-secret-store.js';
import { SecretStoreError, type SecretStore } from '../secrets/secret-store.js';
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
function howToSet(name: string, store: SecretStore): string {
  if (store.kind === 'env') return `set ${secretEnvVar(name)}`;
  return `store it with \`airlock secret set ${name}\` or set ${secretEnvVar(name)}`;
}

function readSecret(name: string, store: SecretStore): string {
  let value: string | undefined;
  try {
    value = store.get(name);
  } catch (error) {
    if (!(error instanceof SecretStoreError)) throw error;
    throw new MissingSecretError(`secret "${name}" cannot be read: ${error.message}. Alternatively, set ${secretEnvVar(name)}`);
  }
  if (value === undefined) throw new MissingSecretError(`secret "${name}" is not set (${howToSet(name, store)})`);
  return value;
}

/** Replaces every secret reference inside `value`; throws `MissingSecretError` naming the secret if one is unset. */
export function resolveSecretRefs(value: string, store: SecretStore): string {
  return value.replace(SECRET_REF, (_match, name: string) => readSecret(name, store));
}

/** `resolveSecretRefs` over each value of an env or header map. */
export function resolveSecretMap(values: Record<string, string>, store: SecretStore): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, resolveSecretRefs(value, store)]));
}

/** The values of the secrets `values` references, as the store has them: what must never be logged. */
export function referencedSecretValues(values: Record<string, string>, store: SecretStore): string[] {
  return Object.values(values).flatMap((value) => [...value.matchAll(SECRET_REF)].map(([, name]) => readSecret(name, store)));
}

/**
 * Every credential Airlock hands a server through `values` (its env or headers), to be cut from
 * what the server sends back and from its log: the keychain values referenced, and the plain values
 * the credential-name rule picks (`plainCredentialValues`). A value holding a reference is not
 * plain: its secret part is the referenced value, the rest (`Bearer `) is not secret.
 */
export function injectedSecretValues(values: Record<string, string>, store: SecretStore): string[] {
  const plain = Object.fromEntries(Object.entries(values).filter(([, value]) => value.search(SECRET_REF) === -1));
  return [...referencedSecretValues(values, store), ...plainCredentialValues(plain)];
}
