import type Database from 'better-sqlite3';
import type { LockWait } from './lock-wait.js';
import { chainHash, genesisHash, LEDGER_START, ledgerHash, storedText, type ChainMessage, type ChainSession } from './audit-chain.js';

export type Direction = 'to-server' | 'to-agent';
export type MessageKind = 'request' | 'response' | 'error' | 'notification';

/**
 * What happened to a message: `forwarded` (request sent on), `ok`/`error` (a response and its
 * result), `delivered` (notification passed on), `denied` (stopped by the gateway), `failed`
 * (the gateway could not pass it on), `withdrawn` (cancelled by the agent while held).
 */
export type Outcome = 'forwarded' | 'delivered' | 'ok' | 'error' | 'denied' | 'failed' | 'withdrawn';

export interface MessageRecord {
  sessionId: string;
  ts: number;
  direction: Direction;
  kind: MessageKind;
  rpcId?: string;
  method?: string;
  tool?: string;
  size: number;
  durationMs?: number;
  outcome: Outcome;
  /** For requests: the policy's action and the rule that decided it. */
  decision?: string;
  ruleId?: string;
  body: string;
  /** The original before masking, sealed (see sealed-originals.ts); only when the policy keeps it. */
  originalSealed?: string;
  /** What masking replaced in this message, per detector; never the values. */
  maskEvents?: readonly MaskEvent[];
}

export interface MaskEvent {
  detector: string;
  count: number;
  pointers: readonly string[];
}

export interface SessionRecord {
  id: string;
  server: string;
  client: string;
  startedAt: number;
  /** Who was signed in to the org when the session started (org mode); absent: nobody. */
  user?: SessionUser;
  groups?: readonly string[];
}

/** The signed-in user a session runs as: the OIDC subject, and a name to show. */
export interface SessionUser {
  id: string;
  name: string | null;
}

/**
 * Told about each write once it is committed (the live feed of the tray window listens here).
 * Runs inside the write path: it must be cheap when nobody is interested.
 */
export interface MessageLogListener {
  appended?(id: number, record: MessageRecord): void;
  sessionStarted?(session: SessionRecord): void;
  sessionEnded?(id: string, reason: string): void;
}

export interface MessageLogOptions {
  /**
   * Org mode: every message also gets an audit outbox row (migration 008) in the same
   * transaction, so a recorded message is always shipped and nothing shipped was not recorded.
   */
  outbox?: boolean;
  /** How writes wait on another process's lock (lock-wait.ts); without it, the connection's own busy_timeout. */
  lockWait?: LockWait;
}

/**
 * The write side of the store: sessions and the append-only message log. Every call commits on
 * return, which is what "recorded before forwarded" relies on. Each message is hash-chained to the
 * one before it in its session (audit-chain.ts) in the same transaction that writes it, and each
 * session to the one started before it in the session ledger.
 */
export class MessageLog {
  private readonly insertMessage;
  private readonly insertMaskEvent;
  private readonly appendWithEvents;
  private readonly insertSession;
  private readonly startWithLink;
  private readonly updateSessionInfo;
  private readonly closeSession;
  private readonly insertOutbox;
  private readonly lockWait: LockWait | undefined;
  private readonly chainSession;
  private readonly nextMessageId;
  private readonly advanceHead;

  constructor(
    db: Database.Database,
    private readonly listener: MessageLogListener = {},
    options: MessageLogOptions = {},
  ) {
    this.lockWait = options.lockWait;
    this.insertMessage = db.prepare(
      `INSERT INTO messages (id, session_id, ts, direction, kind, rpc_id, method, tool, size, duration_ms, outcome, decision, rule_id, body, original_sealed, chain_hash)
       VALUES (@id, @sessionId, @ts, @direction, @kind, @rpcId, @method, @tool, @size, @durationMs, @outcome, @decision, @ruleId, @body, @originalSealed, @chainHash)`,
    );
    this.chainSession = db.prepare('SELECT id, server, client, started_at, user_id, user_name, user_groups, chain_head FROM sessions WHERE id = ?');
    // The id is chosen before the insert because the hash covers it; AUTOINCREMENT's counter is
    // what SQLite itself would use, so ids of deleted rows are never reused.
    this.nextMessageId = db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0) + 1").pluck();
    this.advanceHead = db.prepare('UPDATE sessions SET chain_head = ? WHERE id = ?');
    this.insertMaskEvent = db.prepare('INSERT INTO mask_events (message_id, detector, count, pointers) VALUES (?, ?, ?, ?)');
    this.insertOutbox = options.outbox ? db.prepare('INSERT INTO outbox (message_id) VALUES (?)') : undefined;
    // A message, its masking events, its outbox row and its session's chain head commit together, or not at all.
    this.appendWithEvents = db.transaction((row: Record<string, unknown> & { sessionId: string }, events: readonly MaskEvent[]) => {
      const session = this.chainSession.get(row.sessionId) as (ChainSession & { chain_head: string | null }) | undefined;
      if (!session) throw new Error(`no session ${row.sessionId} to record a message in`);
      const id = this.nextMessageId.get() as number;
      const stored = events.map((event) => ({ detector: storedText(event.detector), count: event.count, pointers: JSON.stringify(event.pointers) }));
      const chained = chainHash(session.chain_head ?? genesisHash(session), chainFields(id, row), stored);
      this.insertMessage.run({ ...row, id, chainHash: chained });
      for (const event of stored) this.insertMaskEvent.run(id, event.detector, event.count, event.pointers);
      this.insertOutbox?.run(id);
      this.advanceHead.run(chained, row.sessionId);
      return id;
    });
    this.insertSession = db.prepare(
      `INSERT INTO sessions (id, server, client, started_at, user_id, user_name, user_groups, chain_head)
       VALUES (@id, @server, @client, @startedAt, @userId, @userName, @userGroups, @chainHead)`,
    );
    // The session's link in the session ledger (migration 012) commits with the session. Its number
    // comes from AUTOINCREMENT's counter, not the last link, so a link removed from the end stays a gap.
    const nextLink = db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'session_ledger'), 0) + 1").pluck();
    const lastLink = db.prepare('SELECT hash FROM session_ledger ORDER BY seq DESC LIMIT 1').pluck();
    const insertLink = db.prepare('INSERT INTO session_ledger (seq, session_id, hash) VALUES (?, ?, ?)');
    this.startWithLink = db.transaction((row: Record<string, unknown> & { id: string }, genesis: string) => {
      this.insertSession.run({ ...row, chainHead: genesis });
      const seq = nextLink.get() as number;
      insertLink.run(seq, row.id, ledgerHash(seq, genesis, (lastLink.get() as string | undefined) ?? LEDGER_START));
    });
    this.updateSessionInfo = db.prepare(
      'UPDATE sessions SET client_info = COALESCE(?, client_info), protocol_version = COALESCE(?, protocol_version) WHERE id = ?',
    );
    this.closeSession = db.prepare(
      'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL',
    );
  }

  startSession(session: SessionRecord): void {
    const { id, server, client, startedAt, user, groups = [] } = wellFormed(session);
    const stored = { id, server, client, started_at: startedAt, user_id: storedText(user?.id ?? null), user_name: storedText(user?.name ?? null), user_groups: JSON.stringify(groups) };
    const row = { id, server, client, startedAt, userId: stored.user_id, userName: stored.user_name, userGroups: stored.user_groups };
    this.write(() => this.startWithLink.immediate(row, genesisHash(stored)));
    this.tell(() => this.listener.sessionStarted?.(session));
  }

  describeSession(id: string, info: { clientInfo?: unknown; protocolVersion?: string }): void {
    const clientInfo = info.clientInfo === undefined ? null : JSON.stringify(info.clientInfo);
    this.write(() => this.updateSessionInfo.run(clientInfo, info.protocolVersion ?? null, id));
  }

  endSession(id: string, reason: string, now = Date.now()): void {
    if (this.write(() => this.closeSession.run(now, reason, id)).changes > 0) this.tell(() => this.listener.sessionEnded?.(id, reason));
  }

  /** Appends one message (with its masking events); throws if it cannot be committed. Returns its row id. */
  append(record: MessageRecord): number {
    const { maskEvents, ...fields } = record;
    const row = wellFormed({ rpcId: null, method: null, tool: null, durationMs: null, decision: null, ruleId: null, originalSealed: null, ...fields });
    const id = this.write(() => this.appendWithEvents.immediate(row, maskEvents ?? [])) as number;
    if (this.listener.appended) this.tell(() => this.listener.appended!(id, record));
    return id;
  }

  /**
   * Every write goes through the lock wait. Transactions run IMMEDIATE, taking the write lock
   * before they read: SQLite's busy wait applies only there, while a transaction that has already
   * read fails at once when another process holds the lock (a CLI's short write would refuse a call).
   */
  protected write<T>(statement: () => T): T {
    return this.lockWait ? this.lockWait.run(statement) : statement();
  }

  /**
   * The write is committed: a listener that throws must not make the caller believe it was not
   * (the runner would refuse a call that is already on record).
   */
  private tell(notify: () => void): void {
    try {
      notify();
    } catch {
      // The listener reports its own failures; the record stands either way.
    }
  }
}

/** The record with its text as the store will keep it (see `storedText`), one level deep. */
function wellFormed<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, storedText(value)])) as T;
}

/** The message as it will be stored, in the chain's terms (columns that are absent are NULL). */
function chainFields(id: number, row: Record<string, unknown>): ChainMessage {
  return {
    id,
    session_id: row.sessionId as string,
    ts: row.ts as number,
    direction: row.direction as string,
    kind: row.kind as string,
    rpc_id: (row.rpcId ?? null) as string | null,
    method: (row.method ?? null) as string | null,
    tool: (row.tool ?? null) as string | null,
    size: row.size as number,
    duration_ms: (row.durationMs ?? null) as number | null,
    outcome: row.outcome as string,
    decision: (row.decision ?? null) as string | null,
    rule_id: (row.ruleId ?? null) as string | null,
    body: row.body as string,
    original_sealed: (row.originalSealed ?? null) as string | null,
  };
}
