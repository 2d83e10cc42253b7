import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEnvSecretStore } from '../../../../src-gateway/secrets/env-secret-store.js';
import { createFileSecretStore, SECRETS_FILE } from '../../../../src-gateway/secrets/file-secret-store.js';
import { layerSecretStores } from '../../../../src-gateway/secrets/layered-secret-store.js';
import type { SecretStore } from '../../../../src-gateway/secrets/secret-store.js';
import { injectedSecretValues, MissingSecretError, prefetchSecrets, resolveSecretMap } from '../../../../src-gateway/upstream/secret-refs.js';

/** `store`, whose sync reads fail the test and whose async reads are counted by name. */
function asyncOnly(store: SecretStore): { store: SecretStore; reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    store: {
      ...store,
      get: (name) => {
        throw new Error(`read "${name}" synchronously`);
      },
      getAsync: (name) => {
        reads.push(name);
        return store.getAsync(name);
      },
    },
  };
}

const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error) => error);
const thrown = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
};

describe('reading a server\'s secrets before its upstream opens', () => {
  const env = createEnvSecretStore({ AIRLOCK_SECRET_REMOTE_TOKEN: 's3cret', AIRLOCK_SECRET_DB_PASS: 'pw' });
  const headers = { Authorization: 'Bearer keychain:remote-token', 'X-Db': 'keychain:db.pass:keychain:remote-token', Accept: 'text/plain', 'X-Api-Key': 'plain-key-0001' };
  const dataDir = mkdtempSync(join(tmpdir(), 'airlock-prefetch-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('reads each referenced secret once, only asynchronously, and resolves and scrubs as the store itself would', async () => {
    const { store, reads } = asyncOnly(env);
    const snapshot = await prefetchSecrets(headers, store);
    expect(reads).toEqual(['remote-token', 'db.pass']);
    expect(resolveSecretMap(headers, snapshot)).toEqual(resolveSecretMap(headers, env));
    expect(injectedSecretValues(headers, snapshot)).toEqual(injectedSecretValues(headers, env));
    expect(snapshot.kind).toBe('env');
  });

  it('reads nothing for a server that references no secret', async () => {
    const { store, reads } = asyncOnly(env);
    const snapshot = await prefetchSecrets({ Accept: 'text/plain' }, store);
    expect(reads).toEqual([]);
    expect(resolveSecretMap({ Accept: 'text/plain' }, snapshot)).toEqual({ Accept: 'text/plain' });
  });

  it('fails on the first unset secret with the message the sync path gives, and reads no further', async () => {
    const { store, reads } = asyncOnly(env);
    const values = { A: 'keychain:remote-token', B: 'keychain:absent', C: 'keychain:db.pass' };
    const error = await rejection(prefetchSecrets(values, store));
    expect(error).toBeInstanceOf(MissingSecretError);
    expect(error?.message).toBe('secret "absent" is not set (set AIRLOCK_SECRET_ABSENT)');
    expect(error?.message).toBe(thrown(() => resolveSecretMap(values, env))?.message);
    expect(reads).toEqual(['remote-token', 'absent']);
  });

  it('names a secret the store cannot read, with the store\'s reason and never a value, as the sync path does', async () => {
    const file = createFileSecretStore({ dataDir, passphrase: 'a passphrase of enough length' });
    file.set('api-key', 'value-that-must-not-leak');
    writeFileSync(join(dataDir, SECRETS_FILE), 'garbage');
    const store = layerSecretStores(createEnvSecretStore({}), file);
    const values = { Authorization: 'Bearer keychain:api-key' };
    const error = await rejection(prefetchSecrets(values, store));
    expect(error).toBeInstanceOf(MissingSecretError);
    expect(error?.message).toMatch(/^secret "api-key" cannot be read: .* is not an Airlock secrets file.*Alternatively, set AIRLOCK_SECRET_API_KEY$/);
    expect(error?.message).toBe(thrown(() => resolveSecretMap(values, store))?.message);
    expect(error?.message).not.toContain('value-that-must-not-leak');
  });
});
