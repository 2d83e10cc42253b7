import type Database from 'better-sqlite3';
import type { MaskEventView, MessageView } from '../control/contract.js';
import type { MessageRow } from './history-queries.js';

/** A message as stored, with the columns later migrations added. */
export interface FullMessageRow extends MessageRow {
  decision: string | null;
  rule_id: string | null;
  original_sealed: string | null;
}

interface MaskEventRow {
  message_id: number;
  detector: string;
  count: number;
  pointers: string;
}

/** A session's recorded messages, a page at a time, as the control API shows and exports them. */
export class MessageQueries {
  private readonly pageStatement;
  private readonly maskStatement;

  constructor(db: Database.Database) {
    this.pageStatement = db.prepare('SELECT * FROM messages WHERE session_id = ? AND id > ? ORDER BY id LIMIT ?');
    this.maskStatement = db.prepare(
      'SELECT message_id, detector, count, pointers FROM mask_events WHERE message_id BETWEEN ? AND ? ORDER BY id',
    );
  }

  /** Up to `limit` messages of the session recorded after message `after`, oldest first. */
  rows(sessionId: string, after: number, limit: number): FullMessageRow[] {
    return this.pageStatement.all(sessionId, after, limit) as FullMessageRow[];
  }

  /** A page of messages; `nextAfter` is set while more may follow. */
  page(sessionId: string, after: number, limit: number): { items: MessageView[]; nextAfter: number | null } {
    const rows = this.rows(sessionId, after, limit + 1);
    const page = rows.slice(0, limit);
    const masks = this.masks(page);
    return {
      items: page.map((row) => toMessageView(row, masks.get(row.id) ?? [])),
      nextAfter: rows.length > limit ? page.at(-1)!.id : null,
    };
  }

  /** Masking events of these messages (ids ascending), by message id. */
  private masks(rows: FullMessageRow[]): Map<number, MaskEventView[]> {
    const byMessage = new Map<number, MaskEventView[]>();
    if (rows.length === 0) return byMessage;
    const ids = new Set(rows.map((row) => row.id));
    // The range may hold other sessions' messages; their events are skipped.
    for (const event of this.maskStatement.all(rows[0].id, rows.at(-1)!.id) as MaskEventRow[]) {
      if (!ids.has(event.message_id)) continue;
      const list = byMessage.get(event.message_id) ?? [];
      list.push({ detector: event.detector, count: event.count, pointers: JSON.parse(event.pointers) as string[] });
      byMessage.set(event.message_id, list);
    }
    return byMessage;
  }
}

export function toMessageView(row: FullMessageRow, masks: MaskEventView[]): MessageView {
  return {
    id: row.id,
    sessionId: row.session_id,
    ts: row.ts,
    direction: row.direction as MessageView['direction'],
    kind: row.kind as MessageView['kind'],
    rpcId: row.rpc_id,
    method: row.method,
    tool: row.tool,
    size: row.size,
    durationMs: row.duration_ms,
    outcome: row.outcome,
    decision: row.decision,
    ruleId: row.rule_id,
    body: JSON.parse(row.body),
    masks,
  };
}
