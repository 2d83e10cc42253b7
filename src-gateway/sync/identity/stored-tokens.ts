import { z } from 'zod';
import type { SecretStore } from '../../secrets/secret-store.js';

/** The secret-store entry holding the org sign-in; the tokens live nowhere else (not the db, not logs). */
export const ORG_TOKENS_SECRET = 'org.tokens';

/** A sign-in as kept between starts: the tokens and who they belong to (from the ID token). */
export const StoredTokensSchema = z.object({
  /** The issuer they came from: a config that names another issuer does not use them. */
  issuer: z.string(),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1).optional(),
  /** ms since epoch. */
  expiresAt: z.number(),
  subject: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  groups: z.array(z.string()),
});
export type StoredTokens = z.infer<typeof StoredTokensSchema>;

/**
 * The stored sign-in for `issuer`, or null when there is none, it is for another issuer, or it
 * cannot be read (then `problem` says why, without the value).
 */
export function readStoredTokens(secrets: SecretStore, issuer: string, problem: (message: string) => void): StoredTokens | null {
  let text: string | undefined;
  try {
    text = secrets.get(ORG_TOKENS_SECRET);
  } catch (error) {
    problem(`the org sign-in could not be read from ${secrets.description}: ${(error as Error).message}`);
    return null;
  }
  if (text === undefined) return null;
  let parsed: ReturnType<typeof StoredTokensSchema.safeParse>;
  try {
    parsed = StoredTokensSchema.safeParse(JSON.parse(text));
  } catch {
    problem('the stored org sign-in is not JSON; sign in again');
    return null;
  }
  if (!parsed.success) {
    problem('the stored org sign-in is not in the expected form; sign in again');
    return null;
  }
  return parsed.data.issuer === issuer ? parsed.data : null;
}

/** Throws (SecretStoreError) when the store cannot be written, e.g. the read-only env store. */
export function saveStoredTokens(secrets: SecretStore, tokens: StoredTokens): void {
  secrets.set(ORG_TOKENS_SECRET, JSON.stringify(tokens));
}

export function forgetStoredTokens(secrets: SecretStore): void {
  secrets.delete(ORG_TOKENS_SECRET);
}
