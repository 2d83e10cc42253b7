import type Database from 'better-sqlite3';
import type { CallStatus, CallView } from '../control/contract.js';

interface CallRow {
  id: number;
  session_id: string;
  server: string;
  client: string;
  method: string;
  tool: string | null;
  ts: number;
  decision: string | null;
  rule_id: string | null;
  status: CallStatus;
  duration_ms: number | null;
  answer_id: number | null;
}

/**
 * A call is a request from the agent joined with the first answer to it in the same session (same
 * JSON-RPC id, recorded after it). The status, in order: a request the gateway stopped or the
 * agent withdrew says so; one without an answer is still pending; an answer masking changed is
 * masked; an ok answer is allowed; an answer the gateway stopped is denied; any other is failed.
 * A call held for approval is recorded only once decided: until then it is in `approvals.pending()`.
 */
const CALL_SELECT = `
  SELECT r.id, r.session_id, s.server, s.client, r.method, r.tool, r.ts, r.decision, r.rule_id,
         a.id AS answer_id, a.duration_ms,
         CASE
           WHEN r.outcome = 'denied' THEN 'denied'
           WHEN r.outcome = 'withdrawn' THEN 'withdrawn'
           WHEN a.id IS NULL THEN 'pending'
           WHEN a.decision = 'masked' THEN 'masked'
           WHEN a.outcome = 'ok' THEN 'allowed'
           WHEN a.outcome = 'denied' THEN 'denied'
           ELSE 'failed'
         END AS status
    FROM messages r
    JOIN sessions s ON s.id = r.session_id
    LEFT JOIN messages a ON a.id = (
      SELECT x.id FROM messages x
       WHERE x.session_id = r.session_id AND x.id > r.id AND x.rpc_id = r.rpc_id
         AND x.direction = 'to-agent' AND x.kind IN ('response', 'error')
       ORDER BY x.id LIMIT 1)`;

const IS_CALL = `r.direction = 'to-server' AND r.kind = 'request'`;

/** Calls as the Activity view and the live feed show them. */
export class CallQueries {
  private readonly recentStatement;
  private readonly byIdStatement;
  private readonly requestOfAnswerStatement;
  private readonly detectorsStatement;

  constructor(db: Database.Database) {
    this.recentStatement = db.prepare(`${CALL_SELECT} WHERE ${IS_CALL} AND r.id < ? ORDER BY r.id DESC LIMIT ?`);
    this.byIdStatement = db.prepare(`${CALL_SELECT} WHERE ${IS_CALL} AND r.id = ?`);
    this.requestOfAnswerStatement = db.prepare(
      `SELECT id FROM messages
        WHERE session_id = ? AND rpc_id = ? AND id < ? AND direction = 'to-server' AND kind = 'request'
        ORDER BY id DESC LIMIT 1`,
    ).pluck();
    this.detectorsStatement = db.prepare('SELECT DISTINCT detector FROM mask_events WHERE message_id = ? ORDER BY detector').pluck();
  }

  /** The newest calls, newest first; with `before`, those recorded before that request. */
  recent(limit: number, before = Number.MAX_SAFE_INTEGER): CallView[] {
    return (this.recentStatement.all(before, limit) as CallRow[]).map((row) => this.view(row));
  }

  /** The call whose request has this message id. */
  byRequest(id: number): CallView | undefined {
    const row = this.byIdStatement.get(id) as CallRow | undefined;
    return row && this.view(row);
  }

  /** The call an answer (message `answerId`, with this JSON-encoded rpc id) belongs to. */
  byAnswer(sessionId: string, rpcId: string, answerId: number): CallView | undefined {
    const requestId = this.requestOfAnswerStatement.get(sessionId, rpcId, answerId) as number | undefined;
    return requestId === undefined ? undefined : this.byRequest(requestId);
  }

  private view(row: CallRow): CallView {
    return {
      id: row.id,
      sessionId: row.session_id,
      server: row.server,
      client: row.client,
      method: row.method,
      tool: row.tool,
      ts: row.ts,
      status: row.status,
      decision: row.decision,
      ruleId: row.rule_id,
      durationMs: row.duration_ms,
      detectors: row.status === 'masked' && row.answer_id !== null ? (this.detectorsStatement.all(row.answer_id) as string[]) : [],
    };
  }
}
