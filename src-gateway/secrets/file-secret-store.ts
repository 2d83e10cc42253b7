import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../atomic-file.js';
import { SecretStoreError, type SecretStore } from './secret-store.js';

/** The encrypted secrets file in the data dir. */
export const SECRETS_FILE = 'secrets.enc.json';

/** The passphrase the file's key is derived from; without it the file store refuses to open. */
export const FILE_KEY_VAR = 'AIRLOCK_SECRET_FILE_KEY';
const MIN_PASSPHRASE = 16;

/** Binds the ciphertext to its purpose, so a blob from another AES-GCM file does not decrypt here. */
const AAD = Buffer.from('airlock-secrets-v1');

/** scrypt cost for new files: about 32 MiB and a tenth of a second, paid once per process. */
const NEW_KDF = { N: 2 ** 15, r: 8, p: 1 };

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
/** The file: only the KDF parameters and ciphertext; names and values are both inside. */
const EnvelopeSchema = z.strictObject({
  version: z.literal(1),
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    // Bounded so a tampered file cannot make opening it take minutes or gigabytes.
    N: z.number().int().min(2 ** 14).max(2 ** 20),
    r: z.number().int().min(1).max(16),
    p: z.number().int().min(1).max(4),
    salt: b64,
  }),
  iv: b64,
  tag: b64,
  data: b64,
});
type Envelope = z.infer<typeof EnvelopeSchema>;
const ContentsSchema = z.record(z.string(), z.string());

export interface FileSecretStoreOptions {
  dataDir: string;
  /** The passphrase from `AIRLOCK_SECRET_FILE_KEY`. */
  passphrase: string | undefined;
}

/**
 * The headless fallback, used only when chosen with `AIRLOCK_SECRET_STORE=file`: one AES-256-GCM
 * encrypted JSON file (mode 0600, replaced atomically) whose key scrypt derives from a passphrase.
 * The file is read on every call, so secrets set by `airlock secret set` reach a running gateway.
 * Opening checks the passphrase against an existing file, so a wrong one stops the start.
 */
export function createFileSecretStore({ dataDir, passphrase }: FileSecretStoreOptions): SecretStore {
  if (!passphrase) {
    throw new SecretStoreError(`AIRLOCK_SECRET_STORE=file needs ${FILE_KEY_VAR}: a passphrase of at least ${MIN_PASSPHRASE} characters that encrypts the secrets file`);
  }
  if (passphrase.length < MIN_PASSPHRASE) {
    throw new SecretStoreError(`${FILE_KEY_VAR} is too short: use at least ${MIN_PASSPHRASE} characters`);
  }
  const file = join(dataDir, SECRETS_FILE);
  const keys = new Map<string, Buffer>();
  const keyFor = (kdf: Envelope['kdf']) => {
    let key = keys.get(kdf.salt);
    if (!key) {
      key = scryptSync(passphrase, Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
      keys.set(kdf.salt, key);
    }
    return key;
  };

  function readEnvelope(): Envelope | undefined {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new SecretStoreError(`could not read ${file}: ${(error as Error).message}`);
    }
    try {
      return EnvelopeSchema.parse(JSON.parse(text));
    } catch {
      throw new SecretStoreError(`${file} is not an Airlock secrets file: restore it from a backup or remove it and set the secrets again`);
    }
  }

  /** A Map, so a name such as "constructor" never finds an object's built-ins. */
  function read(): { kdf: Envelope['kdf'] | undefined; secrets: Map<string, string> } {
    const envelope = readEnvelope();
    if (!envelope) return { kdf: undefined, secrets: new Map() };
    try {
      const decipher = createDecipheriv('aes-256-gcm', keyFor(envelope.kdf), Buffer.from(envelope.iv, 'base64'));
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]);
      return { kdf: envelope.kdf, secrets: new Map(Object.entries(ContentsSchema.parse(JSON.parse(plain.toString('utf8'))))) };
    } catch {
      throw new SecretStoreError(`could not decrypt ${file}: ${FILE_KEY_VAR} is not the passphrase it was written with, or the file was changed`);
    }
  }

  /** Encrypts with a fresh IV under the file's existing salt (one key derivation per process). */
  function write(kdf: Envelope['kdf'] | undefined, secrets: Map<string, string>): void {
    const params = kdf ?? { name: 'scrypt' as const, ...NEW_KDF, salt: randomBytes(16).toString('base64') };
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keyFor(params), iv);
    cipher.setAAD(AAD);
    const data = Buffer.concat([cipher.update(JSON.stringify(Object.fromEntries(secrets)), 'utf8'), cipher.final()]);
    const envelope: Envelope = { version: 1, kdf: params, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    try {
      writeFileAtomically(file, JSON.stringify(envelope) + '\n', 0o600);
    } catch (error) {
      throw new SecretStoreError(`could not write ${file}: ${(error as Error).message}`);
    }
  }

  read();
  return {
    kind: 'file',
    description: `the encrypted file ${file}`,
    get: (name) => read().secrets.get(name),
    // A small local file, and scrypt runs once per process: reading it in place is quick.
    getAsync: async (name) => read().secrets.get(name),
    set(name, value) {
      const { kdf, secrets } = read();
      write(kdf, secrets.set(name, value));
    },
    delete(name) {
      const { kdf, secrets } = read();
      if (!secrets.delete(name)) return false;
      write(kdf, secrets);
      return true;
    },
    list: () => [...read().secrets.keys()].sort(),
  };
}
