import type Database from 'better-sqlite3';
import { chainHash, genesisHash, type ChainMaskEvent, type ChainMessage, type ChainSession } from './audit-chain.js';
import { verifyLedger, type LedgerLink, type LedgerReport } from './ledger-verify.js';

/**
 * What is wrong with a session's chain:
 * - `broken-link`: the message's hash does not follow from its content and the message before it:
 *   this row was edited, or the one before it was deleted, moved or edited.
 * - `missing-hash`: a message recorded since the chain began has no hash.
 * - `head-mismatch`: the session's newest hash is not its last message's: messages were removed
 *   from its end, or the session itself was edited.
 * - `unknown-session`: messages name a session that is not in the store.
 */
export type ChainProblemKind = 'broken-link' | 'missing-hash' | 'head-mismatch' | 'unknown-session';

export interface ChainProblem {
  sessionId: string;
  /** The message where the chain breaks; null for problems of the session as a whole. */
  messageId: number | null;
  kind: ChainProblemKind;
}

export interface ChainReport {
  ok: boolean;
  sessions: number;
  /** Messages whose hash checked out. */
  verified: number;
  /** Messages recorded before the chain existed (migration 009): not checkable, not tampering. */
  unchained: number;
  problems: ChainProblem[];
  /** The session ledger (whole sessions deleted, added or moved); null in a store from before it. */
  ledger: LedgerReport | null;
}

interface StoredMessage extends ChainMessage {
  chain_hash: string | null;
}

interface StoredSession extends ChainSession {
  chain_head: string | null;
}

/**
 * Checks the hash chain of every session (or of one) against the rows as they are now, and the
 * session ledger (or that session's link in it), and that the ledger still holds `anchor`. Reads
 * only; a store from before migration 009 has nothing to check, and says so through `unchained`.
 */
export function verifyAuditChain(db: Database.Database, options: { sessionId?: string; anchor?: LedgerLink } = {}): ChainReport {
  // A store not yet migrated to 009 (opened read-only) has no chain at all: every row is unchained.
  const migrated = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'").get() !== undefined;
  const chainedFrom = migrated ? (db.prepare('SELECT chained_from FROM audit_chain').pluck().get() as number) : Number.MAX_SAFE_INTEGER;
  const sessionIds =
    options.sessionId === undefined
      ? (db.prepare('SELECT id FROM sessions UNION SELECT session_id FROM messages ORDER BY 1').pluck().all() as string[])
      : [options.sessionId];
  const sessionRow = db.prepare('SELECT * FROM sessions WHERE id = ?');
  const messageRows = db.prepare('SELECT * FROM messages WHERE session_id = ? ORDER BY id');
  const maskRows = db.prepare(
    `SELECT e.message_id, e.detector, e.count, e.pointers FROM mask_events e
       JOIN messages m ON m.id = e.message_id WHERE m.session_id = ? ORDER BY e.id`,
  );
  const report: ChainReport = { ok: true, sessions: 0, verified: 0, unchained: 0, problems: [], ledger: verifyLedger(db, options) };
  for (const sessionId of sessionIds) {
    report.sessions += 1;
    const stored = sessionRow.get(sessionId) as StoredSession | undefined;
    const session = stored && { ...stored, chain_head: stored.chain_head ?? null };
    const messages = (messageRows.all(sessionId) as StoredMessage[]).map((row) => ({ ...row, chain_hash: row.chain_hash ?? null }));
    const masks = groupByMessage(maskRows.all(sessionId) as Array<ChainMaskEvent & { message_id: number }>);
    checkSession(sessionId, session, messages, masks, chainedFrom, report);
  }
  report.ok = report.problems.length === 0 && (report.ledger?.problems.length ?? 0) === 0;
  return report;
}

function checkSession(
  sessionId: string,
  session: StoredSession | undefined,
  messages: StoredMessage[],
  masks: Map<number, ChainMaskEvent[]>,
  chainedFrom: number,
  report: ChainReport,
): void {
  const problem = (kind: ChainProblemKind, messageId: number | null = null) => report.problems.push({ sessionId, messageId, kind });
  if (!session) {
    problem('unknown-session');
    return;
  }
  const chained = messages.filter((message) => {
    if (message.id >= chainedFrom) return true;
    // A row older than the chain that has a hash was moved there from inside it.
    if (message.chain_hash !== null) problem('broken-link', message.id);
    else report.unchained += 1;
    return false;
  });
  // A session from before the chain has no head; one with chained messages must have one.
  if (session.chain_head === null && chained.length === 0) return;
  // Links are checked against the stored hash of the row before, so one bad row is reported once
  // (and the row after it too, when its link to it no longer holds), not everything downstream.
  let previous = genesisHash(session);
  for (const message of chained) {
    if (message.chain_hash === null) {
      problem('missing-hash', message.id);
    } else if (message.chain_hash !== chainHash(previous, message, masks.get(message.id) ?? [])) {
      problem('broken-link', message.id);
    } else {
      report.verified += 1;
    }
    previous = message.chain_hash ?? previous;
  }
  if (session.chain_head !== previous) problem('head-mismatch');
}

function groupByMessage(rows: Array<ChainMaskEvent & { message_id: number }>): Map<number, ChainMaskEvent[]> {
  const byMessage = new Map<number, ChainMaskEvent[]>();
  for (const { message_id, detector, count, pointers } of rows) {
    const list = byMessage.get(message_id) ?? [];
    list.push({ detector, count, pointers });
    byMessage.set(message_id, list);
  }
  return byMessage;
}
