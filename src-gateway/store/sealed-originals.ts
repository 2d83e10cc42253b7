import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Originals of masked messages, sealed with AES-256-GCM, kept only when the policy says so. The key
 * is derived from a secret the store never holds (`keychain:originals-key`), so the database alone
 * does not reveal what masking removed. Format: base64 of iv (12) | tag (16) | ciphertext.
 */
export function keyFromSecret(secret: string): Buffer {
  return createHash('sha256').update(`airlock-originals\n${secret}`).digest();
}

export function seal(text: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Opens a sealed original; throws if the key is wrong or the data was altered. */
export function unseal(sealed: string, key: Buffer): string {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
