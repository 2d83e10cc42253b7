import type Database from 'better-sqlite3';

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
}

/**
 * The write side of the store: sessions and the append-only message log. Every call commits on
 * return (autocommit), which is what "recorded before forwarded" relies on.
 */
export class MessageLog {
  private readonly insertMessage;
  private readonly insertMaskEvent;
  private readonly appendWithEvents;
  private readonly insertSession;
  private readonly updateSessionInfo;
  private readonly closeSession;
  private readonly insertOutbox;

  constructor(
    db: Database.Database,
    private readonly listener: MessageLogListener = {},
    options: MessageLogOptions = {},
  ) {
    this.insertMessage = db.prepare(
      `INSERT INTO messages (session_id, ts, direction, kind, rpc_id, method, tool, size, duration_ms, outcome, decision, rule_id, body, original_sealed)
       VALUES (@sessionId, @ts, @direction, @kind, @rpcId, @method, @tool, @size, @durationMs, @outcome, @decision, @ruleId, @body, @originalSealed)`,
    );
    this.insertMaskEvent = db.prepare('INSERT INTO mask_events (message_id, detector, count, pointers) VALUES (?, ?, ?, ?)');
    this.insertOutbox = options.outbox ? db.prepare('INSERT INTO outbox (message_id) VALUES (?)') : undefined;
    // A message, its masking events and its outbox row commit together, or not at all.
    this.appendWithEvents = db.transaction((row: Record<string, unknown>, events: readonly MaskEvent[]) => {
      const id = Number(this.insertMessage.run(row).lastInsertRowid);
      for (const event of events) this.insertMaskEvent.run(id, event.detector, event.count, JSON.stringify(event.pointers));
      this.insertOutbox?.run(id);
      return id;
    });
    this.insertSession = db.prepare(
      `INSERT INTO sessions (id, server, client, started_at, user_id, user_name, user_groups)
       VALUES (@id, @server, @client, @startedAt, @userId, @userName, @userGroups)`,
    );
    this.updateSessionInfo = db.prepare(
      'UPDATE sessions SET client_info = COALESCE(?, client_info), protocol_version = COALESCE(?, protocol_version) WHERE id = ?',
    );
    this.closeSession = db.prepare(
      'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL',
    );
  }

  startSession(session: SessionRecord): void {
    const { id, server, client, startedAt, user, groups = [] } = session;
    this.insertSession.run({ id, server, client, startedAt, userId: user?.id ?? null, userName: user?.name ?? null, userGroups: JSON.stringify(groups) });
    this.tell(() => this.listener.sessionStarted?.(session));
  }

  describeSession(id: string, info: { clientInfo?: unknown; protocolVersion?: string }): void {
    const clientInfo = info.clientInfo === undefined ? null : JSON.stringify(info.clientInfo);
    this.updateSessionInfo.run(clientInfo, info.protocolVersion ?? null, id);
  }

  endSession(id: string, reason: string, now = Date.now()): void {
    if (this.closeSession.run(now, reason, id).changes > 0) this.tell(() => this.listener.sessionEnded?.(id, reason));
  }

  /** Appends one message (with its masking events); throws if it cannot be committed. Returns its row id. */
  append(record: MessageRecord): number {
    const { maskEvents, ...fields } = record;
    const row = { rpcId: null, method: null, tool: null, durationMs: null, decision: null, ruleId: null, originalSealed: null, ...fields };
    const id =
      maskEvents?.length || this.insertOutbox
        ? (this.appendWithEvents(row, maskEvents ?? []) as number)
        : Number(this.insertMessage.run(row).lastInsertRowid);
    if (this.listener.appended) this.tell(() => this.listener.appended!(id, record));
    return id;
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
