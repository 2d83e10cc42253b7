import type { ServerResponse } from 'node:http';
import type { SessionView } from '../contract.js';
import { ERROR_STATUS } from '../contract.js';
import type { MessageQueries } from '../../store/message-queries.js';
import { exportLine } from '../../store/session-export.js';

/** Messages read per query: the download streams, so a long session never sits in memory whole. */
const PAGE = 500;

/**
 * `GET /control/sessions/:id/export`: the session as JSONL, one recorded message per line, the
 * same lines `airlock sessions export` writes.
 */
export async function downloadSession(messages: MessageQueries, session: SessionView, res: ServerResponse): Promise<void> {
  res.writeHead(200, {
    'content-type': 'application/x-ndjson',
    'content-disposition': `attachment; filename="airlock-session-${session.id.slice(0, 8)}.jsonl"`,
    'cache-control': 'no-store',
  });
  let after = 0;
  for (;;) {
    const rows = messages.rows(session.id, after, PAGE);
    if (rows.length === 0 || res.destroyed) break;
    const ok = res.write(rows.map((row) => exportLine(session, row)).join(''));
    after = rows.at(-1)!.id;
    // Waits for a slow reader instead of reading the whole session ahead of it.
    if (!ok) await drainedOrClosed(res);
  }
  res.end();
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * A raw route answers its own errors, in the router's shape (`{ok: false, code, message}`).
 */
export function replyFailure(res: ServerResponse, code: keyof typeof ERROR_STATUS, message: string): void {
  const text = JSON.stringify({ ok: false, code, message });
  res.writeHead(ERROR_STATUS[code], { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
}
