import type Database from 'better-sqlite3';
import { genesisHash, LEDGER_START, ledgerHash, type ChainSession } from '../audit-chain.js';
import type { Migration } from '../migrate.js';

/**
 * The session ledger (see audit-chain.ts `ledgerHash`): one link per session, in the order sessions
 * started, each chained to the one before, so a session deleted whole (its row, its messages, its
 * link) leaves a gap. AUTOINCREMENT keeps the highest sequence number ever used in
 * `sqlite_sequence`, so a link removed from the end is noticed too.
 *
 * Sessions already in the store are linked in here, in the order they were inserted (rowid), so an
 * upgraded store is covered from now on: reporting them as unchained instead would leave every
 * session recorded before the upgrade deletable without a trace.
 */
export const migration012: Migration = {
  version: 12,
  name: 'session-ledger',
  sql: `
    CREATE TABLE session_ledger (
      seq         INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id  TEXT NOT NULL UNIQUE REFERENCES sessions(id),
      hash        TEXT NOT NULL
    );
  `,
  up: linkExistingSessions,
};

function linkExistingSessions(db: Database.Database): void {
  const sessions = db.prepare('SELECT id, server, client, started_at, user_id, user_name, user_groups FROM sessions ORDER BY rowid').all() as ChainSession[];
  const insert = db.prepare('INSERT INTO session_ledger (seq, session_id, hash) VALUES (?, ?, ?)');
  let previous = LEDGER_START;
  sessions.forEach((session, index) => {
    previous = ledgerHash(index + 1, genesisHash(session), previous);
    insert.run(index + 1, session.id, previous);
  });
}
