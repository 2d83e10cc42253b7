import type Database from 'better-sqlite3';

/** A row of the sessions table. */
export interface SessionRow {
  id: string;
  server: string;
  client: string;
  client_info: string | null;
  protocol_version: string | null;
  started_at: number;
  ended_at: number | null;
  end_reason: string | null;
  /** Org mode (migration 007): who the session ran as; groups as a JSON array. */
  user_id: string | null;
  user_name: string | null;
  user_groups: string;
}

export interface SessionSummary extends SessionRow {
  message_count: number;
  call_count: number;
}

export interface MessageRow {
  id: number;
  session_id: string;
  ts: number;
  direction: string;
  kind: string;
  rpc_id: string | null;
  method: string | null;
  tool: string | null;
  size: number;
  duration_ms: number | null;
  outcome: string;
  body: string;
}

export interface SessionFilter {
  server?: string;
  client?: string;
  limit?: number;
}

/** The read side of the store: what the CLI (and later the control API) shows of the history. */
export class HistoryQueries {
  constructor(private readonly db: Database.Database) {}

  listSessions(filter: SessionFilter = {}): SessionSummary[] {
    return this.db
      .prepare(
        `SELECT s.*,
                (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count,
                (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id AND m.kind = 'request'
                   AND m.direction = 'to-server') AS call_count
           FROM sessions s
          WHERE (@server IS NULL OR s.server = @server) AND (@client IS NULL OR s.client = @client)
          ORDER BY s.started_at DESC, s.rowid DESC
          LIMIT @limit`,
      )
      .all({ server: filter.server ?? null, client: filter.client ?? null, limit: filter.limit ?? 50 }) as SessionSummary[];
  }

  /** A session by its full id or by a unique prefix of it (as printed by `sessions list`). */
  findSession(idOrPrefix: string): SessionSummary | undefined {
    const rows = this.db
      .prepare(`SELECT s.*, 0 AS message_count, 0 AS call_count FROM sessions s WHERE s.id LIKE ? ESCAPE '\\' LIMIT 2`)
      .all(idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%') as SessionSummary[];
    if (rows.length !== 1) return undefined;
    return rows[0];
  }

  messages(sessionId: string): MessageRow[] {
    return this.db.prepare('SELECT * FROM messages WHERE session_id = ? ORDER BY id').all(sessionId) as MessageRow[];
  }
}
