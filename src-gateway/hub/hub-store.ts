import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, type Migration } from '../store/migrate.js';

const HUB_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'hub-audit',
    sql: `
      CREATE TABLE batches (
        idempotency_key  TEXT PRIMARY KEY,
        received_at      INTEGER NOT NULL,
        subject          TEXT NOT NULL,     -- who sent it (the token's sub)
        records          INTEGER NOT NULL,  -- records in the batch
        accepted         INTEGER NOT NULL   -- of which new (not already held)
      );
      CREATE TABLE records (
        record_id    TEXT PRIMARY KEY,      -- airlock.record.id: "<installation id>:<message id>"
        batch_key    TEXT NOT NULL,
        received_at  INTEGER NOT NULL,
        time_ms      INTEGER NOT NULL,
        session_id   TEXT,
        user_id      TEXT,
        user_name    TEXT,
        client       TEXT,
        server       TEXT,
        method       TEXT,
        outcome      TEXT,
        body         TEXT NOT NULL,
        attributes   TEXT NOT NULL,         -- the record's and its resource's attributes, plain JSON
        subject      TEXT NOT NULL
      );
      CREATE INDEX records_session ON records(session_id, time_ms);
    `,
  },
];

/** One audit record as the hub keeps it. */
export interface HubRecord {
  recordId: string;
  timeMs: number;
  sessionId: string | null;
  userId: string | null;
  userName: string | null;
  client: string | null;
  server: string | null;
  method: string | null;
  outcome: string | null;
  body: string;
  attributes: Record<string, unknown>;
}

export interface HubSessionSummary {
  sessionId: string;
  userId: string | null;
  userName: string | null;
  client: string | null;
  server: string | null;
  firstAt: number;
  lastAt: number;
  records: number;
}

/** What storing a batch did: `duplicate` when its idempotency key was seen before. */
export interface StoreResult {
  duplicate: boolean;
  accepted: number;
}

/**
 * The hub's own SQLite file (WAL, `synchronous = FULL`: an acknowledged batch must survive a
 * power loss, since the gateway deletes it on our 2xx). Dedup is twofold: a batch key already
 * held is not stored again, and a record id already held is ignored whatever batch brings it.
 */
export class HubStore {
  private readonly db: Database.Database;
  private readonly findBatch;
  private readonly insertBatch;
  private readonly insertRecord;
  private readonly storeTx;
  private readonly sessionsStatement;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.db = new Database(join(dataDir, 'airlock-hub.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db, HUB_MIGRATIONS);
    this.findBatch = this.db.prepare<[string], { accepted: number }>('SELECT accepted FROM batches WHERE idempotency_key = ?');
    this.insertBatch = this.db.prepare('INSERT INTO batches (idempotency_key, received_at, subject, records, accepted) VALUES (?, ?, ?, ?, ?)');
    this.insertRecord = this.db.prepare(`
      INSERT OR IGNORE INTO records (record_id, batch_key, received_at, time_ms, session_id, user_id, user_name, client, server, method, outcome, body, attributes, subject)
      VALUES (@recordId, @batchKey, @receivedAt, @timeMs, @sessionId, @userId, @userName, @client, @server, @method, @outcome, @body, @attributes, @subject)`);
    this.storeTx = this.db.transaction((key: string, subject: string, records: readonly HubRecord[], at: number): StoreResult => {
      const seen = this.findBatch.get(key);
      if (seen) return { duplicate: true, accepted: 0 };
      let accepted = 0;
      for (const record of records) {
        accepted += this.insertRecord.run({ ...record, attributes: JSON.stringify(record.attributes), batchKey: key, receivedAt: at, subject }).changes;
      }
      this.insertBatch.run(key, at, subject, records.length, accepted);
      return { duplicate: false, accepted };
    });
    this.sessionsStatement = this.db.prepare<[number], HubSessionSummary>(`
      SELECT session_id AS sessionId, MAX(user_id) AS userId, MAX(user_name) AS userName, MAX(client) AS client, MAX(server) AS server,
             MIN(time_ms) AS firstAt, MAX(time_ms) AS lastAt, COUNT(*) AS records
        FROM records WHERE session_id IS NOT NULL
       GROUP BY session_id ORDER BY lastAt DESC LIMIT ?`);
  }

  /** Stores a batch under its idempotency key, in one transaction. */
  storeBatch(key: string, subject: string, records: readonly HubRecord[], at = Date.now()): StoreResult {
    return this.storeTx(key, subject, records, at) as StoreResult;
  }

  /** The most recently active sessions, newest first. */
  sessions(limit = 200): HubSessionSummary[] {
    return this.sessionsStatement.all(limit);
  }

  close(): void {
    this.db.close();
  }
}
