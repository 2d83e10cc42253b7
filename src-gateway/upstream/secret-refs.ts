/**
 * Config and database keep secrets as references (`keychain:<name>`), never values. Until the OS
 * keychain store lands, a reference resolves from the environment variable
 * `AIRLOCK_SECRET_<NAME>` (upper-cased, other characters as `_`), e.g. `keychain:remote-token`
 * → `AIRLOCK_SECRET_REMOTE_TOKEN`.
 */
const SECRET_REF = /keychain:([A-Za-z0-9][A-Za-z0-9_.-]*)/g;

export class MissingSecretError extends Error {
  override name = 'MissingSecretError';
}

export function secretEnvVar(name: string): string {
  return 'AIRLOCK_SECRET_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** Replaces every secret reference inside `value`; throws naming the secret (not a value) if one is unset. */
export function resolveSecretRefs(value: string, env: Record<string, string | undefined> = process.env): string {
  return value.replace(SECRET_REF, (_match, name: string) => {
    const resolved = env[secretEnvVar(name)];
    if (resolved === undefined) {
      throw new MissingSecretError(`secret "${name}" is not set (set ${secretEnvVar(name)})`);
    }
    return resolved;
  });
}

export function resolveSecretMap(
  values: Record<string, string>,
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, resolveSecretRefs(value, env)]));
}
