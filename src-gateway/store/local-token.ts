import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientTokens } from './client-tokens.js';
import { writePrivateFile } from './private-file.js';

/** The quickstart client that `npm start` creates, so an agent can connect in the first minute. */
export const LOCAL_CLIENT = 'local';
const LOCAL_TOKEN_FILE = 'local-token';

/**
 * The token of the `local` client, kept in a file only the user can read so that pasted agent
 * configs keep working across restarts. A missing or revoked one is replaced.
 */
export function ensureLocalToken(dataDir: string, tokens: ClientTokens): string {
  const path = join(dataDir, LOCAL_TOKEN_FILE);
  if (existsSync(path)) {
    const saved = readFileSync(path, 'utf8').trim();
    if (tokens.clientFor(saved) !== undefined) return saved;
  }
  const token = tokens.create(LOCAL_CLIENT);
  writePrivateFile(path, token + '\n');
  return token;
}

/** The saved local token, if `npm start` has created one in this data dir. */
export function readLocalToken(dataDir: string): string | undefined {
  const path = join(dataDir, LOCAL_TOKEN_FILE);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() || undefined : undefined;
}
