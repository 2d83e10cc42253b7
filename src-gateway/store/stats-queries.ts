import type Database from 'better-sqlite3';
import type { StatsView } from '../control/contract.js';
import { DECISION_SQL, DECISIONS } from './decision-filters.js';

const MINUTE_MS = 60_000;
const TOP_TOOLS = 10;

/** Figures for the dashboard: calls per minute, decisions and the busiest tools over a window. */
export class StatsQueries {
  private readonly perMinuteStatement;
  private readonly decisionsStatement;
  private readonly topToolsStatement;

  constructor(db: Database.Database) {
    this.perMinuteStatement = db.prepare(
      `SELECT CAST((m.ts - @since) / ${MINUTE_MS} AS INTEGER) AS bucket, COUNT(*) AS count
         FROM messages m
        WHERE m.ts >= @since AND m.direction = 'to-server' AND m.kind = 'request'
        GROUP BY bucket`,
    );
    this.decisionsStatement = db.prepare(
      `SELECT ${DECISIONS.map((decision) => `COALESCE(SUM(${DECISION_SQL[decision]}), 0) AS ${decision}`).join(', ')}
         FROM messages m
        WHERE m.ts >= @since`,
    );
    this.topToolsStatement = db.prepare(
      `SELECT s.server, m.tool, COUNT(*) AS count
         FROM messages m JOIN sessions s ON s.id = m.session_id
        WHERE m.ts >= @since AND m.direction = 'to-server' AND m.kind = 'request' AND m.method = 'tools/call' AND m.tool IS NOT NULL
        GROUP BY s.server, m.tool
        ORDER BY count DESC, s.server, m.tool
        LIMIT ${TOP_TOOLS}`,
    );
  }

  /** The last `minutes` whole minutes up to and including the current one. */
  stats(minutes: number, now = Date.now()): StatsView {
    const since = (Math.floor(now / MINUTE_MS) - minutes + 1) * MINUTE_MS;
    const counts = new Map((this.perMinuteStatement.all({ since }) as Array<{ bucket: number; count: number }>).map((row) => [row.bucket, row.count]));
    return {
      minutes,
      callsPerMinute: Array.from({ length: minutes }, (_, bucket) => ({ minute: since + bucket * MINUTE_MS, count: counts.get(bucket) ?? 0 })),
      decisions: this.decisionsStatement.get({ since }) as StatsView['decisions'],
      topTools: this.topToolsStatement.all({ since }) as StatsView['topTools'],
    };
  }
}
