import type Database from 'better-sqlite3';
import type { SessionsQuery, SessionView } from '../control/contract.js';
import { DECISION_SQL } from './decision-filters.js';
import { HistoryQueries, type SessionRow } from './history-queries.js';
import { SearchIndex } from './search-index.js';
import { toMatchQuery } from './search-query.js';

interface CountRow {
  session_id: string;
  messages: number;
  calls: number;
  denied: number;
  masked: number;
}

/** Where the previous page ended: sessions are listed newest first, ties broken by id. */
interface Cursor {
  startedAt: number;
  id: string;
}

export type SessionPage = { ok: true; items: SessionView[]; nextCursor: string | null } | { ok: false; message: string };

const SESSION_COLUMNS = 's.id, s.server, s.client, s.client_info, s.protocol_version, s.started_at, s.ended_at, s.end_reason, s.user_id, s.user_name, s.user_groups';

/** The sessions of the history, as the control API lists and shows them. */
export class SessionQueries {
  private readonly history: HistoryQueries;
  private readonly search: SearchIndex;
  /** One prepared statement per combination of filters actually used. */
  private readonly pageStatements = new Map<string, Database.Statement>();
  private readonly countsStatement;
  private readonly byIdStatement;

  constructor(private readonly db: Database.Database) {
    this.history = new HistoryQueries(db);
    this.search = new SearchIndex(db);
    // One pass over each listed session's messages for all its counts. Every column read here
    // comes before the body in the row, so large bodies are not read.
    this.countsStatement = db.prepare(`
      SELECT m.session_id,
             COUNT(*) AS messages,
             COALESCE(SUM(m.direction = 'to-server' AND m.kind = 'request'), 0) AS calls,
             COALESCE(SUM(${DECISION_SQL.denied}), 0) AS denied,
             COALESCE(SUM(${DECISION_SQL.masked}), 0) AS masked
        FROM messages m
       WHERE m.session_id IN (SELECT value FROM json_each(?))
       GROUP BY m.session_id`);
    this.byIdStatement = db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = ?`);
  }

  /** A page of sessions matching the filters, newest first; `ok: false` for a cursor this did not make. */
  list(query: SessionsQuery): SessionPage {
    let cursor: Cursor | undefined;
    if (query.cursor !== undefined) {
      cursor = decodeCursor(query.cursor);
      if (!cursor) return { ok: false, message: 'query.cursor: not a cursor from a previous page of this list; start again without it' };
    }
    let match: string | undefined;
    if (query.q !== undefined) {
      match = toMatchQuery(query.q);
      // Nothing searchable (only punctuation, say) matches no message.
      if (match === undefined) return { ok: true, items: [], nextCursor: null };
    }

    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit + 1 };
    const add = (condition: string, values: Record<string, unknown> = {}) => {
      where.push(condition);
      Object.assign(params, values);
    };
    if (query.server !== undefined) add('s.server = @server', { server: query.server });
    if (query.client !== undefined) add('s.client = @client', { client: query.client });
    if (query.from !== undefined) add('s.started_at >= @from', { from: query.from });
    if (query.to !== undefined) add('s.started_at <= @to', { to: query.to });
    if (query.tool !== undefined) add('EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND m.tool = @tool)', { tool: query.tool });
    if (query.decision !== undefined) add(`EXISTS (SELECT 1 FROM messages m WHERE m.session_id = s.id AND ${DECISION_SQL[query.decision]})`);
    if (match !== undefined) {
      // The index trails the log by up to a moment; a search sees every message recorded so far.
      this.search.catchUp();
      add('s.id IN (SELECT m.session_id FROM messages m WHERE m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH @match))', { match });
    }
    if (cursor) {
      add('(s.started_at < @cursorStartedAt OR (s.started_at = @cursorStartedAt AND s.id < @cursorId))', {
        cursorStartedAt: cursor.startedAt,
        cursorId: cursor.id,
      });
    }

    const sql = `SELECT ${SESSION_COLUMNS} FROM sessions s
                  ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                  ORDER BY s.started_at DESC, s.id DESC
                  LIMIT @limit`;
    let statement = this.pageStatements.get(sql);
    if (!statement) this.pageStatements.set(sql, (statement = this.db.prepare(sql)));
    const rows = statement.all(params) as SessionRow[];
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor = rows.length > query.limit && last ? encodeCursor({ startedAt: last.started_at, id: last.id }) : null;
    return { ok: true, items: this.withCounts(page), nextCursor };
  }

  /** A session by its full id or a unique prefix of it; undefined when none or several match. */
  get(idOrPrefix: string): SessionView | undefined {
    const found = this.history.findSession(idOrPrefix);
    if (!found) return undefined;
    return this.view(found.id);
  }

  /** The session with exactly this id. */
  view(id: string): SessionView | undefined {
    const row = this.byIdStatement.get(id) as SessionRow | undefined;
    return row && this.withCounts([row])[0];
  }

  private withCounts(rows: SessionRow[]): SessionView[] {
    if (rows.length === 0) return [];
    const counts = new Map(
      (this.countsStatement.all(JSON.stringify(rows.map((row) => row.id))) as CountRow[]).map((count) => [count.session_id, count]),
    );
    return rows.map((row) => {
      const count = counts.get(row.id);
      return {
        id: row.id,
        server: row.server,
        client: row.client,
        agent: agentLabel(row.client_info),
        protocolVersion: row.protocol_version,
        startedAt: row.started_at,
        endedAt: row.ended_at,
        endReason: row.end_reason,
        user: row.user_name ?? row.user_id,
        groups: JSON.parse(row.user_groups) as string[],
        messageCount: count?.messages ?? 0,
        callCount: count?.calls ?? 0,
        deniedCount: count?.denied ?? 0,
        maskedCount: count?.masked ?? 0,
      };
    });
  }
}

/** The agent as its initialize named it, e.g. "Claude Code 2.1"; null when it gave no name. */
export function agentLabel(clientInfo: string | null): string | null {
  if (!clientInfo) return null;
  const info = JSON.parse(clientInfo) as { name?: unknown; version?: unknown };
  const parts = [info.name, info.version].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length ? parts.join(' ') : null;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.startedAt}:${cursor.id}`).toString('base64url');
}

export function decodeCursor(text: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const match = /^(\d{1,16}):(.+)$/s.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const startedAt = Number(match[1]);
  return Number.isSafeInteger(startedAt) ? { startedAt, id: match[2] } : undefined;
}
