import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';

/**
 * What is indexed of a body: the recorded (masked) JSON with the escapes `\n`, `\r` and `\t` turned
 * into spaces, which would otherwise glue words together (`one\ntwo` would index `ntwo`). In SQL,
 * `'\n'` is the two characters backslash and n, exactly what the JSON holds.
 */
const SEARCH_TEXT = `replace(replace(replace(body, '\\n', ' '), '\\r', ' '), '\\t', ' ')`;

/** Messages indexed per transaction: small, so a batch of large bodies is still a short pause. */
const BATCH = 50;

/**
 * Keeps `messages_fts` caught up with the append-only message log, a batch at a time, off the
 * path that records calls. A search first catches up completely, so it never misses a message.
 */
export class SearchIndex {
  private readonly step: () => number;

  constructor(db: Database.Database) {
    const progress = db.prepare('SELECT indexed_through FROM search_progress').pluck();
    const upTo = db.prepare('SELECT MAX(id) FROM (SELECT id FROM messages WHERE id > ? ORDER BY id LIMIT ?)').pluck();
    const index = db.prepare(`INSERT INTO messages_fts (rowid, body) SELECT id, ${SEARCH_TEXT} FROM messages WHERE id > ? AND id <= ?`);
    const advance = db.prepare('UPDATE search_progress SET indexed_through = ?');
    this.step = db.transaction(() => {
      const from = progress.get() as number;
      const to = upTo.get(from, BATCH) as number | null;
      if (to === null) return 0;
      const { changes } = index.run(from, to);
      advance.run(to);
      return changes;
    });
  }

  /** Indexes messages not yet indexed until none are left or `budgetMs` has passed; true when caught up. */
  catchUp(budgetMs = Infinity): boolean {
    const deadline = performance.now() + budgetMs;
    for (;;) {
      if (this.step() === 0) return true;
      if (performance.now() >= deadline) return false;
    }
  }
}

/**
 * Indexes in the background: every `intervalMs`, for at most `budgetMs`, so that under heavy
 * traffic the gateway pauses briefly rather than long. Returns the stop (call before closing the db).
 */
export function startSearchIndexing(db: Database.Database, logger: Logger, { intervalMs = 250, budgetMs = 10 } = {}): () => void {
  const index = new SearchIndex(db);
  const timer = setInterval(() => {
    try {
      index.catchUp(budgetMs);
    } catch (error) {
      // Search lags until the next tick, or is caught up by the next search; recording is unaffected.
      logger.error('could not update the search index', error);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
