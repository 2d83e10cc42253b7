import type { Migration } from '../migrate.js';

/**
 * Tamper evidence (see audit-chain.ts): every message carries a hash over its content and the hash
 * of the message before it in its session; each session keeps the hash of its newest message, so
 * a row removed from the end is noticed too. Messages recorded before this migration have no hash:
 * `audit_chain.chained_from` is the first message id that must have one, so such rows are reported
 * as unchained, and a hash blanked out later is reported as tampering.
 */
export const migration009: Migration = {
  version: 9,
  name: 'audit-chain',
  sql: `
    ALTER TABLE messages ADD COLUMN chain_hash TEXT;
    ALTER TABLE sessions ADD COLUMN chain_head TEXT;

    CREATE TABLE audit_chain (chained_from INTEGER NOT NULL);
    INSERT INTO audit_chain (chained_from) SELECT COALESCE(MAX(id), 0) + 1 FROM messages;
  `,
};
