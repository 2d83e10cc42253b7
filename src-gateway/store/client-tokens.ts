import type Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';

/** Tokens look like `alk_<43 base64url chars>` so they are easy to recognise in a config file. */
const TOKEN_PREFIX = 'alk_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface ClientRow {
  id: number;
  name: string;
  created_at: number;
  revoked_at: number | null;
}

/** Per-client bearer tokens. Only hashes are stored; a token is shown once, when created. */
export class ClientTokens {
  private readonly insert;
  private readonly byHash;
  private readonly revokeByName;
  private readonly list;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO clients (name, token_hash, created_at) VALUES (?, ?, ?)');
    this.byHash = db.prepare('SELECT name FROM clients WHERE token_hash = ? AND revoked_at IS NULL');
    this.revokeByName = db.prepare('UPDATE clients SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL');
    this.list = db.prepare('SELECT id, name, created_at, revoked_at FROM clients ORDER BY id');
  }

  /** Creates a token for `clientName` and returns it; this is the only time it is known. */
  create(clientName: string, now = Date.now()): string {
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    this.insert.run(clientName, hashToken(token), now);
    return token;
  }

  /** The client a token belongs to, or undefined for an unknown or revoked token. */
  clientFor(token: string): string | undefined {
    const row = this.byHash.get(hashToken(token)) as { name: string } | undefined;
    return row?.name;
  }

  /** Revokes every live token of a client; returns how many. */
  revoke(clientName: string, now = Date.now()): number {
    return this.revokeByName.run(now, clientName).changes;
  }

  all(): ClientRow[] {
    return this.list.all() as ClientRow[];
  }
}

export function isValidClientName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/.test(name);
}
