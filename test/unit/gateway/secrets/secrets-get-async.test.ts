import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnvSecretStore } from '../../../../src-gateway/secrets/env-secret-store.js';
import { createFileSecretStore, SECRETS_FILE } from '../../../../src-gateway/secrets/file-secret-store.js';
import { createKeychainSecretStore } from '../../../../src-gateway/secrets/keychain-secret-store.js';
import { layerSecretStores } from '../../../../src-gateway/secrets/layered-secret-store.js';
import { SecretStoreError, type SecretStore } from '../../../../src-gateway/secrets/secret-store.js';

const PASSPHRASE = 'a passphrase for the async reads';
const NAMES = ['api-key', 'only-in-file', 'absent', 'store', 'file-key'];

/** What a read gives: the value, or the error's class and message. */
const outcome = (read: () => string | undefined) => {
  try {
    return { value: read() };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
};
const outcomeAsync = (read: () => Promise<string | undefined>) =>
  read().then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.name, message: error.message }),
  );

async function expectSameReads(store: SecretStore, names = NAMES): Promise<void> {
  for (const name of names) expect(await outcomeAsync(() => store.getAsync(name))).toEqual(outcome(() => store.get(name)));
}

describe('reading a secret without blocking (getAsync)', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-get-async-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gives what get gives from environment variables, settings never read as secrets', async () => {
    const store = createEnvSecretStore({ AIRLOCK_SECRET_API_KEY: 'from-env', AIRLOCK_SECRET_STORE: 'env', AIRLOCK_SECRET_FILE_KEY: PASSPHRASE });
    await expectSameReads(store);
    expect(await store.getAsync('api-key')).toBe('from-env');
    expect(await store.getAsync('store')).toBeUndefined();
  });

  it('gives what get gives from the encrypted file, and rejects as get throws when the file is damaged', async () => {
    const dir = dataDir();
    const store = createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE });
    store.set('api-key', 'from-file');
    await expectSameReads(store);
    expect(await store.getAsync('api-key')).toBe('from-file');

    writeFileSync(join(dir, SECRETS_FILE), 'garbage');
    await expect(store.getAsync('api-key')).rejects.toThrow(SecretStoreError);
    await expectSameReads(store, ['api-key']);
  });

  it('asks the environment overrides first, then the writable store, as get does', async () => {
    const file = createFileSecretStore({ dataDir: dataDir(), passphrase: PASSPHRASE });
    file.set('api-key', 'from-file');
    file.set('only-in-file', 'file-only');
    const store = layerSecretStores(createEnvSecretStore({ AIRLOCK_SECRET_API_KEY: 'from-env' }), file);
    await expectSameReads(store);
    expect(await store.getAsync('api-key')).toBe('from-env');
    expect(await store.getAsync('only-in-file')).toBe('file-only');
    await expectSameReads(layerSecretStores(createEnvSecretStore({ AIRLOCK_SECRET_API_KEY: 'from-env' }), undefined));
  });

  it.runIf(process.platform === 'linux')('diagnoses a keychain that cannot be reached as get does, on every read', async () => {
    // The binding reads the process's own environment, on the worker thread too: a bus that does not exist.
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/airlock-test-bus';
    try {
      const store = createKeychainSecretStore();
      await expect(store.getAsync('api-key')).rejects.toThrow(SecretStoreError);
      await expect(store.getAsync('api-key')).rejects.toThrow(/^could not read from the Secret Service keychain: no OS keychain is available \(Secret Service not running\?\)\. Start one/);
      await expectSameReads(store, ['api-key']);
      // Reads of one name in flight together are one read (one unlock prompt); a later read tries again.
      const first = store.getAsync('api-key');
      expect(store.getAsync('api-key')).toBe(first);
      await expect(first).rejects.toThrow(SecretStoreError);
      const again = store.getAsync('api-key');
      expect(again).not.toBe(first);
      await expect(again).rejects.toThrow(SecretStoreError);
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});
