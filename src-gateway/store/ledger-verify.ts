import type Database from 'better-sqlite3';
import { genesisHash, LEDGER_START, ledgerHash, type ChainSession } from './audit-chain.js';

/**
 * What is wrong with the session ledger (migration 012):
 * - `gap`: links are missing from the middle: sessions were deleted with their links.
 * - `truncated`: links were removed from the end (the highest number ever used is higher).
 * - `orphan-link`: a link names a session that is not in the store: the session was deleted.
 * - `broken-link`: the link's hash does not follow from its session and the link before it: the
 *   link or the session's identity was edited, links were reordered, or the link before it changed.
 * - `unlinked-session`: a session has no link: it was inserted, or its link was deleted.
 * - `anchor-mismatch`: the ledger no longer has the link given as an anchor: it was rewritten.
 */
export type LedgerProblemKind = 'gap' | 'truncated' | 'orphan-link' | 'broken-link' | 'unlinked-session' | 'anchor-mismatch';

export interface LedgerProblem {
  kind: LedgerProblemKind;
  /** The link concerned; for `gap` and `truncated` the first one missing. */
  seq: number | null;
  sessionId: string | null;
  /** For `gap` and `truncated`: how many links are missing (when the whole ledger was checked). */
  count?: number;
}

/** A link of the ledger: its number and hash, `<seq>:<hash>` when kept elsewhere as an anchor. */
export interface LedgerLink {
  seq: number;
  hash: string;
}

export interface LedgerReport {
  /** Links whose hash checked out. */
  verified: number;
  /** The newest link, to keep out of reach as an anchor; null when one session was checked. */
  head: LedgerLink | null;
  problems: LedgerProblem[];
}

interface StoredLink extends LedgerLink {
  session_id: string;
}

const SESSION_COLUMNS = 'id, server, client, started_at, user_id, user_name, user_groups';

/**
 * Checks the session ledger: every link (or one session's link) against the sessions as they are
 * now, and that the `anchor` link is still there. Null for a store from before the ledger.
 */
export function verifyLedger(db: Database.Database, options: { sessionId?: string; anchor?: LedgerLink } = {}): LedgerReport | null {
  const present = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'session_ledger'").get() !== undefined;
  const report: LedgerReport = { verified: 0, head: null, problems: [] };
  if (!present) {
    // Nothing to check, but an anchor that cannot be found must not pass.
    if (!options.anchor) return null;
    report.problems.push({ kind: 'anchor-mismatch', seq: options.anchor.seq, sessionId: null });
    return report;
  }
  if (options.sessionId === undefined) checkAll(db, report);
  else checkOne(db, options.sessionId, report);
  if (options.anchor) {
    const { seq, hash } = options.anchor;
    const link = db.prepare('SELECT seq, session_id, hash FROM session_ledger WHERE seq = ?').get(seq) as StoredLink | undefined;
    if (link?.hash !== hash) report.problems.push({ kind: 'anchor-mismatch', seq, sessionId: link?.session_id ?? null });
  }
  return report;
}

function checkAll(db: Database.Database, report: LedgerReport): void {
  const problem = (kind: LedgerProblemKind, seq: number | null, sessionId: string | null, count?: number) =>
    report.problems.push(count === undefined ? { kind, seq, sessionId } : { kind, seq, sessionId, count });
  const sessions = new Map((db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions`).all() as ChainSession[]).map((s) => [s.id, s]));
  const links = db.prepare('SELECT seq, session_id, hash FROM session_ledger ORDER BY seq').all() as StoredLink[];
  const linked = new Set<string>();
  // As for messages, each link is checked against the stored hash of the one before it, so one
  // edited link is reported once (and the link after it), not everything downstream.
  let expected = 1;
  let previous = LEDGER_START;
  for (const link of links) {
    if (link.seq > expected) problem('gap', expected, null, link.seq - expected);
    const session = sessions.get(link.session_id);
    if (!session) problem('orphan-link', link.seq, link.session_id);
    else if (link.hash !== ledgerHash(link.seq, genesisHash(session), previous)) problem('broken-link', link.seq, link.session_id);
    else report.verified += 1;
    linked.add(link.session_id);
    previous = link.hash;
    expected = link.seq + 1;
  }
  for (const id of sessions.keys()) if (!linked.has(id)) problem('unlinked-session', null, id);
  const highest = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'session_ledger'").pluck().get() as number | undefined) ?? 0;
  if (highest >= expected) problem('truncated', expected, null, highest - expected + 1);
  const last = links.at(-1);
  report.head = last ? { seq: last.seq, hash: last.hash } : null;
}

function checkOne(db: Database.Database, sessionId: string, report: LedgerReport): void {
  const session = db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`).get(sessionId) as ChainSession | undefined;
  const link = db.prepare('SELECT seq, session_id, hash FROM session_ledger WHERE session_id = ?').get(sessionId) as StoredLink | undefined;
  if (!link) {
    // A session missing altogether is the message chain's finding (`unknown-session`).
    if (session) report.problems.push({ kind: 'unlinked-session', seq: null, sessionId });
    return;
  }
  if (!session) return void report.problems.push({ kind: 'orphan-link', seq: link.seq, sessionId });
  const previous = link.seq === 1 ? LEDGER_START : (db.prepare('SELECT hash FROM session_ledger WHERE seq = ?').pluck().get(link.seq - 1) as string | undefined);
  if (previous === undefined) report.problems.push({ kind: 'gap', seq: link.seq - 1, sessionId: null });
  else if (link.hash !== ledgerHash(link.seq, genesisHash(session), previous)) report.problems.push({ kind: 'broken-link', seq: link.seq, sessionId });
  else report.verified += 1;
}
