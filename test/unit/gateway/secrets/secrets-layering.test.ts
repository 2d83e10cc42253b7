import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../src-gateway/logger.js';
import { SECRETS_FILE } from '../../../../src-gateway/secrets/file-secret-store.js';
import { openSecretStore } from '../../../../src-gateway/secrets/open-secret-store.js';
import { SecretStoreError } from '../../../../src-gateway/secrets/secret-store.js';

const FILE_KEY = 'a long enough file passphrase';

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (message) => void warnings.push(message), error() {} };
}

function open(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'airlock-layers-'));
  const logger = recordingLogger();
  return { dataDir, logger, store: openSecretStore({ dataDir, logger, env }) };
}

describe('the layered secret store', () => {
  it('reads an environment override before the writable store, and writes only to the writable store', () => {
    const { store } = open({ AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: FILE_KEY, AIRLOCK_SECRET_API_KEY: 'from-env' });
    store.set('api-key', 'from-file');
    store.set('other', 'only-in-file');
    expect(store.get('api-key')).toBe('from-env');
    expect(store.get('other')).toBe('only-in-file');
    expect(store.delete('api-key')).toBe(true);
    expect(store.get('api-key')).toBe('from-env');
    expect(store.kind).toBe('file');
  });

  it('lists stored names and override names, an overridden one once', () => {
    const { store } = open({ AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: FILE_KEY, AIRLOCK_SECRET_API_KEY: 'x', AIRLOCK_SECRET_CI_ONLY: 'y' });
    store.set('api-key', 'z');
    expect(store.list()).toEqual(['api-key', 'ci_only']);
  });

  it('never reads its own settings as secrets', () => {
    const { store } = open({ AIRLOCK_SECRET_STORE: 'env' });
    expect(store.get('store')).toBeUndefined();
    expect(store.list()).toEqual([]);
  });

  it('is read-only when environment variables are chosen, saying which variable to set', () => {
    const { store } = open({ AIRLOCK_SECRET_STORE: 'env', AIRLOCK_SECRET_TOKEN: 'v' });
    expect(store.kind).toBe('env');
    expect(store.get('token')).toBe('v');
    expect(() => store.set('token', 'new')).toThrow(SecretStoreError);
    expect(() => store.set('token', 'new')).toThrow(/set or unset AIRLOCK_SECRET_TOKEN instead/);
    expect(() => store.delete('token')).toThrow(/cannot change/);
  });

  it.runIf(process.platform === 'linux')('opens the keychain store without touching it; the first use fails with what to do', () => {
    // The binding reads the process's own environment: point it at a bus that does not exist.
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/airlock-test-bus';
    try {
      const { store, logger } = open({});
      expect(store.kind).toBe('keychain');
      expect(logger.warnings).toEqual([]);
      expect(() => store.get('api-key')).toThrow(SecretStoreError);
      expect(() => store.get('api-key')).toThrow(/^could not read from the Secret Service keychain: no OS keychain is available \(Secret Service not running\?\)\. Start one/);
      expect(() => store.set('api-key', 'value-never-in-errors')).toThrow(/^could not write to the Secret Service keychain: no OS keychain is available/);
      expect(() => store.list()).toThrow(/^could not list the Secret Service keychain: no OS keychain is available/);
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });

  it('warns once, loudly, that secrets are in a file when the file store is chosen', () => {
    const { store, logger, dataDir } = open({ AIRLOCK_SECRET_STORE: 'file', AIRLOCK_SECRET_FILE_KEY: FILE_KEY });
    store.set('a', '1');
    store.get('a');
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toMatch(/NOT in the OS keychain/);
    expect(logger.warnings[0]).toContain(join(dataDir, SECRETS_FILE));
    expect(existsSync(join(dataDir, SECRETS_FILE))).toBe(true);
  });

  it('refuses the file store without its passphrase, and an unknown choice', () => {
    expect(() => open({ AIRLOCK_SECRET_STORE: 'file' })).toThrow(/needs AIRLOCK_SECRET_FILE_KEY/);
    expect(() => open({ AIRLOCK_SECRET_STORE: 'vault' })).toThrow('AIRLOCK_SECRET_STORE must be "keychain", "file" or "env", not "vault"');
  });
});
