import { describe, expect, it } from 'vitest';
import { MissingSecretError, resolveSecretRefs, secretEnvVar } from '../../../src-gateway/upstream/secret-refs.js';

describe('secret references', () => {
  const env = { AIRLOCK_SECRET_REMOTE_TOKEN: 's3cret', AIRLOCK_SECRET_DB_PASS: 'pw' };

  it('resolves a reference inside a header value', () => {
    expect(resolveSecretRefs('Bearer keychain:remote-token', env)).toBe('Bearer s3cret');
  });

  it('resolves several references and leaves other text alone', () => {
    expect(resolveSecretRefs('postgres://app:keychain:db.pass@db/app', env)).toBe('postgres://app:pw@db/app');
    expect(resolveSecretRefs('no secrets here', env)).toBe('no secrets here');
  });

  it('names the variable to set, never a value, when a secret is missing', () => {
    expect(() => resolveSecretRefs('Bearer keychain:absent', env)).toThrow(MissingSecretError);
    expect(() => resolveSecretRefs('Bearer keychain:absent', env)).toThrow('secret "absent" is not set (set AIRLOCK_SECRET_ABSENT)');
  });

  it('maps names to environment variables', () => {
    expect(secretEnvVar('remote-token')).toBe('AIRLOCK_SECRET_REMOTE_TOKEN');
    expect(secretEnvVar('a.b_c')).toBe('AIRLOCK_SECRET_A_B_C');
  });
});
