import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { MessageLog, type MaskEvent, type MessageLogListener, type Outcome } from '../../../../src-gateway/store/message-log.js';
import { openDatabase } from '../../../../src-gateway/store/open-database.js';

const opened: Array<{ db: Database.Database; dir: string }> = [];
afterEach(() => {
  for (const { db, dir } of opened.splice(0)) {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A real store in a temp dir (closed and removed after each test), written through the MessageLog,
 * with the listener `listen` makes, if any.
 */
export function freshStore(listen?: (db: Database.Database, dir: string) => MessageLogListener) {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-history-'));
  const db = openDatabase(dir);
  opened.push({ db, dir });
  const log = new MessageLog(db, listen?.(db, dir));
  let rpc = 0;

  /** Records a session as the front does. */
  const session = (id: string, options: { server?: string; client?: string; startedAt?: number; agent?: { name: string; version: string } } = {}) => {
    log.startSession({ id, server: options.server ?? 'probe', client: options.client ?? 'test', startedAt: options.startedAt ?? 1_000 });
    if (options.agent) log.describeSession(id, { clientInfo: options.agent, protocolVersion: '2025-06-18' });
    return id;
  };

  /**
   * Records a tools/call and (unless `answer` is null) its answer, as the runner does. Returns the
   * message ids.
   */
  const call = (
    sessionId: string,
    tool: string,
    options: {
      ts?: number;
      text?: string;
      outcome?: Outcome;
      decision?: string;
      answer?: { outcome: Outcome; kind?: 'response' | 'error'; masked?: MaskEvent[]; text?: string } | null;
    } = {},
  ) => {
    const ts = options.ts ?? 2_000;
    const rpcId = String(++rpc);
    const request = { jsonrpc: '2.0', id: rpc, method: 'tools/call', params: { name: tool, arguments: { text: options.text ?? 'hello' } } };
    const requestId = log.append({
      sessionId, ts, direction: 'to-server', kind: 'request', rpcId, method: 'tools/call', tool,
      size: 10, outcome: options.outcome ?? 'forwarded', decision: options.decision ?? 'allow', ruleId: 'default', body: JSON.stringify(request),
    });
    const answer = options.answer === undefined ? { outcome: 'ok' as const } : options.answer;
    if (answer === null) return { requestId, answerId: undefined };
    const body = { jsonrpc: '2.0', id: rpc, result: { content: [{ type: 'text', text: answer.text ?? 'done' }] } };
    const answerId = log.append({
      sessionId, ts: ts + 5, direction: 'to-agent', kind: answer.kind ?? 'response', rpcId, method: 'tools/call', tool, size: 10,
      durationMs: 5, outcome: answer.outcome, decision: answer.masked ? 'masked' : undefined, maskEvents: answer.masked, body: JSON.stringify(body),
    });
    return { requestId, answerId };
  };

  return { db, dir, log, session, call };
}
