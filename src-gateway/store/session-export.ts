import type { MessageRow, SessionSummary } from './history-queries.js';

/** A recorded message as `sessions show --json` and the exports print it: the body parsed, the id decoded. */
export function exportedMessage(row: MessageRow) {
  const { body, ...rest } = row;
  return { ...rest, rpc_id: row.rpc_id === null ? null : JSON.parse(row.rpc_id), message: JSON.parse(body) };
}

/** One line of a session's JSONL export (`airlock sessions export`, the control API's download). */
export function exportLine(session: Pick<SessionSummary, 'id' | 'server' | 'client'>, row: MessageRow): string {
  return JSON.stringify({ session: session.id, server: session.server, client: session.client, ...exportedMessage(row) }) + '\n';
}
