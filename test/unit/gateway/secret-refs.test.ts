import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEnvSecretStore, secretEnvVar } from '../../../src-gateway/secrets/env-secret-store.js';
import { createFileSecretStore, SECRETS_FILE } from '../../../src-gateway/secrets/file-secret-store.js';
import { layerSecretStores } from '../../../src-gateway/secrets/layered-secret-store.js';
import { MissingSecretError, resolveSecretMap, resolveSecretRefs } from '../../../src-gateway/upstream/secret-refs.js';

describe('secret references', () => {
  const store = layerSecretStores(createEnvSecretStore({ AIRLOCK_SECRET_REMOTE_TOKEN: 's3cret', AIRLOCK_SECRET_DB_PASS: 'pw' }), undefined);

  it('resolves a reference inside a header value', () => {
    expect(resolveSecretRefs('Bearer keychain:remote-token', store)).toBe('Bearer s3cret');
  });

  it('resolves several references and leaves other text alone', () => {
    expect(resolveSecretRefs('postgres://app:keychain:db.pass@db/app', store)).toBe('postgres://app:pw@db/app');
    expect(resolveSecretRefs('no secrets here', store)).toBe('no secrets here');
    expect(resolveSecretMap({ Authorization: 'Bearer keychain:remote-token', Accept: 'text/plain' }, store)).toEqual({ Authorization: 'Bearer s3cret', Accept: 'text/plain' });
  });

  it('names the variable to set, never a value, when a secret is missing from the environment-only store', () => {
    expect(() => resolveSecretRefs('Bearer keychain:absent', store)).toThrow(MissingSecretError);
    expect(() => resolveSecretRefs('Bearer keychain:absent', store)).toThrow('secret "absent" is not set (set AIRLOCK_SECRET_ABSENT)');
  });

  it('names the command and the variable when a secret is missing from a writable store', () => {
    const file = createFileSecretStore({ dataDir: mkdtempSync(join(tmpdir(), 'airlock-refs-')), passphrase: 'a passphrase of enough length' });
    const layered = layerSecretStores(createEnvSecretStore({}), file);
    expect(() => resolveSecretRefs('keychain:absent', layered)).toThrow('secret "absent" is not set (store it with `airlock secret set absent` or set AIRLOCK_SECRET_ABSENT)');
  });

  it('reports a store that cannot be read as the named secret, with the store\'s reason and no value', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'airlock-refs-'));
    const file = createFileSecretStore({ dataDir, passphrase: 'a passphrase of enough length' });
    file.set('api-key', 'value-that-must-not-leak');
    writeFileSync(join(dataDir, SECRETS_FILE), 'garbage');
    let message = '';
    try {
      resolveSecretRefs('keychain:api-key', file);
    } catch (error) {
      expect(error).toBeInstanceOf(MissingSecretError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/^secret "api-key" cannot be read: .* is not an Airlock secrets file.*Alternatively, set AIRLOCK_SECRET_API_KEY$/);
    expect(message).not.toContain('value-that-must-not-leak');
  });

  it('maps names to environment variables', () => {
    expect(secretEnvVar('remote-token')).toBe('AIRLOCK_SECRET_REMOTE_TOKEN');
    expect(secretEnvVar('a.b_c')).toBe('AIRLOCK_SECRET_A_B_C');
  });
});
