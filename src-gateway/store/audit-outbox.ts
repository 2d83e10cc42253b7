import type Database from 'better-sqlite3';
import type { Direction, MessageKind, Outcome } from './message-log.js';

/** One recorded message waiting in the outbox, with what its session says about who and where. */
export interface OutboxRecord {
  messageId: number;
  sessionId: string;
  ts: number;
  direction: Direction;
  kind: MessageKind;
  /** JSON-encoded, as stored. */
  rpcId: string | null;
  method: string | null;
  tool: string | null;
  size: number;
  durationMs: number | null;
  outcome: Outcome;
  decision: string | null;
  ruleId: string | null;
  /** The recorded (masked) message; the sealed original is never read here. */
  body: string;
  server: string;
  client: string;
  userId: string | null;
  userName: string | null;
  groups: string[];
  /** Detectors that masked something in this message. */
  detectors: string[];
  /**
   * The message's link in its session's hash chain (audit-chain.ts); null for rows from before it.
   * Shipped so the hub's copy anchors the local chain: a local rewrite no longer matches it.
   */
  chainHash: string | null;
}

/** A claimed batch: its id is the idempotency key, stable until the hub acknowledges it. */
export interface OutboxBatch {
  id: string;
  records: OutboxRecord[];
}

interface RawRecord extends Omit<OutboxRecord, 'groups' | 'detectors'> {
  groups: string;
  detectors: string;
}

/** Bodies are large; a batch stops growing past this many bytes (but always holds one record). */
const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The audit outbox in the gateway's store (migration 008). Rows are added by `MessageLog.append`;
 * this claims them into batches, deletes acknowledged batches and drops the oldest on request.
 * Every state change is one transaction, so a crash leaves either the old or the new state.
 */
export class AuditOutbox {
  private readonly openBatch;
  private readonly candidates;
  private readonly assign;
  private readonly readBatch;
  private readonly deleteBatch;
  private readonly dropOldest;
  private readonly getState;
  private readonly setState;
  private readonly countStatement;
  private readonly claimTx;
  private readonly ackTx;
  private readonly dropTx;

  constructor(db: Database.Database) {
    this.openBatch = db.prepare<[], { batch_id: string }>('SELECT batch_id FROM outbox WHERE batch_id IS NOT NULL ORDER BY message_id LIMIT 1');
    this.candidates = db.prepare<[number], { id: number; size: number }>(
      'SELECT o.message_id AS id, m.size FROM outbox o JOIN messages m ON m.id = o.message_id WHERE o.batch_id IS NULL ORDER BY o.message_id LIMIT ?',
    );
    this.assign = db.prepare('UPDATE outbox SET batch_id = ? WHERE batch_id IS NULL AND message_id <= ?');
    this.readBatch = db.prepare<[string], RawRecord>(`
      SELECT m.id AS messageId, m.session_id AS sessionId, m.ts, m.direction, m.kind, m.rpc_id AS rpcId, m.method, m.tool,
             m.size, m.duration_ms AS durationMs, m.outcome, m.decision, m.rule_id AS ruleId, m.body, m.chain_hash AS chainHash,
             s.server, s.client, s.user_id AS userId, s.user_name AS userName, s.user_groups AS groups,
             (SELECT json_group_array(DISTINCT e.detector) FROM mask_events e WHERE e.message_id = m.id) AS detectors
        FROM outbox o JOIN messages m ON m.id = o.message_id JOIN sessions s ON s.id = m.session_id
       WHERE o.batch_id = ? ORDER BY m.id`);
    this.deleteBatch = db.prepare('DELETE FROM outbox WHERE batch_id = ?');
    this.dropOldest = db.prepare(
      'DELETE FROM outbox WHERE message_id IN (SELECT message_id FROM outbox WHERE batch_id IS NULL ORDER BY message_id LIMIT ?)',
    );
    this.getState = db.prepare<[string], { value: string }>('SELECT value FROM outbox_state WHERE key = ?');
    this.setState = db.prepare('INSERT INTO outbox_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.countStatement = db.prepare<[], { unshipped: number; oldest: number | null }>(
      'SELECT COUNT(*) AS unshipped, (SELECT m.ts FROM outbox o JOIN messages m ON m.id = o.message_id ORDER BY o.message_id LIMIT 1) AS oldest FROM outbox',
    );
    // An unfinished batch (a crash or a failed POST) is resumed as it is, with the same id: the
    // hub may already hold it, and dedups by that key.
    this.claimTx = db.transaction((newId: string, maxRecords: number): string | null => {
      const open = this.openBatch.get();
      if (open) return open.batch_id;
      const rows = this.candidates.all(maxRecords);
      if (!rows.length) return null;
      let bytes = 0;
      let last = rows[0].id;
      for (const row of rows) {
        if (bytes > 0 && bytes + row.size > BATCH_BYTES) break;
        bytes += row.size;
        last = row.id;
      }
      this.assign.run(newId, last);
      return newId;
    });
    this.ackTx = db.transaction((batchId: string, at: number) => {
      this.deleteBatch.run(batchId);
      this.setState.run('last_shipped_at', String(at));
    });
    this.dropTx = db.transaction((count: number) => {
      const dropped = this.dropOldest.run(count).changes;
      this.setState.run('dropped', String(this.number('dropped') + dropped));
      return dropped;
    });
  }

  /** The batch to ship next: the unfinished one if any, else up to `maxRecords` new records under `newId`. */
  claim(newId: string, maxRecords: number): OutboxBatch | null {
    const id = this.claimTx(newId, maxRecords);
    if (id === null) return null;
    const records = this.readBatch.all(id).map((raw) => ({
      ...raw,
      groups: JSON.parse(raw.groups) as string[],
      detectors: (JSON.parse(raw.detectors) as (string | null)[]).filter((d): d is string => d !== null),
    }));
    return { id, records };
  }

  /** The hub has the batch: its rows leave the outbox. */
  acknowledge(batchId: string, at: number): void {
    this.ackTx(batchId, at);
  }

  /** Drops the `count` oldest records not in a batch (the batch in flight stays whole); returns how many went. */
  drop(count: number): number {
    return count > 0 ? (this.dropTx(count) as number) : 0;
  }

  counts(): { unshipped: number; oldestAt: number | null; lastShippedAt: number | null; dropped: number } {
    const { unshipped, oldest } = this.countStatement.get()!;
    const last = this.getState.get('last_shipped_at');
    return { unshipped, oldestAt: oldest, lastShippedAt: last ? Number(last.value) : null, dropped: this.number('dropped') };
  }

  /** This installation's id: part of every record id, so ids never collide across machines. */
  installationId(): string {
    return this.getState.get('installation_id')!.value;
  }

  private number(key: string): number {
    return Number(this.getState.get(key)?.value ?? 0);
  }
}
