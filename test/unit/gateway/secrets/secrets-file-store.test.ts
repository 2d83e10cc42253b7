import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileSecretStore, SECRETS_FILE } from '../../../../src-gateway/secrets/file-secret-store.js';
import { SecretStoreError } from '../../../../src-gateway/secrets/secret-store.js';

const PASSPHRASE = 'correct horse battery staple';
const VALUE = 'ghp_file-store-value-0123456789';
const dataDir = () => mkdtempSync(join(tmpdir(), 'airlock-file-store-'));

describe('the encrypted file secret store', () => {
  it('refuses to open without a passphrase, or with a short one, naming the variable', () => {
    expect(() => createFileSecretStore({ dataDir: dataDir(), passphrase: undefined })).toThrow(SecretStoreError);
    expect(() => createFileSecretStore({ dataDir: dataDir(), passphrase: '' })).toThrow(/needs AIRLOCK_SECRET_FILE_KEY/);
    expect(() => createFileSecretStore({ dataDir: dataDir(), passphrase: 'short' })).toThrow(/AIRLOCK_SECRET_FILE_KEY is too short/);
  });

  it('round-trips secrets through a file that holds neither names nor values in plain text', () => {
    const dir = dataDir();
    const store = createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE });
    store.set('github-token', VALUE);
    store.set('db.pass', 'second');
    const reopened = createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE });
    expect(reopened.get('github-token')).toBe(VALUE);
    expect(reopened.list()).toEqual(['db.pass', 'github-token']);
    const raw = readFileSync(join(dir, SECRETS_FILE));
    expect(raw.toString('latin1')).not.toContain(VALUE);
    expect(raw.toString('latin1')).not.toContain('github-token');
    expect(statSync(join(dir, SECRETS_FILE)).mode & 0o777).toBe(0o600);
  });

  it('deletes a secret and says whether there was one', () => {
    const store = createFileSecretStore({ dataDir: dataDir(), passphrase: PASSPHRASE });
    store.set('a', '1');
    expect(store.delete('a')).toBe(true);
    expect(store.delete('a')).toBe(false);
    expect(store.get('a')).toBeUndefined();
  });

  it('finds nothing for names of built-in object properties', () => {
    const store = createFileSecretStore({ dataDir: dataDir(), passphrase: PASSPHRASE });
    store.set('x', '1');
    expect(store.get('constructor')).toBeUndefined();
    expect(store.get('toString')).toBeUndefined();
  });

  it('sees a secret another process wrote after it opened', () => {
    const dir = dataDir();
    const gateway = createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE });
    createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE }).set('late', VALUE);
    expect(gateway.get('late')).toBe(VALUE);
  });

  it('refuses to open an existing file with the wrong passphrase, and a changed file', () => {
    const dir = dataDir();
    createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE }).set('a', VALUE);
    expect(() => createFileSecretStore({ dataDir: dir, passphrase: 'another passphrase entirely' })).toThrow(/not the passphrase it was written with/);
    const file = join(dir, SECRETS_FILE);
    const envelope = JSON.parse(readFileSync(file, 'utf8'));
    const data = Buffer.from(envelope.data, 'base64');
    data[0] ^= 1;
    writeFileSync(file, JSON.stringify({ ...envelope, data: data.toString('base64') }));
    expect(() => createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE })).toThrow(/or the file was changed/);
  });

  it('refuses a file whose key derivation would cost more than a sane bound', () => {
    const dir = dataDir();
    createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE }).set('a', VALUE);
    const file = join(dir, SECRETS_FILE);
    const envelope = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...envelope, kdf: { ...envelope.kdf, N: 2 ** 30 } }));
    expect(() => createFileSecretStore({ dataDir: dir, passphrase: PASSPHRASE })).toThrow(/is not an Airlock secrets file/);
  });
});
