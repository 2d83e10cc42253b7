import type Database from 'better-sqlite3';
import type { AuditFailureMode } from '../policy/policy-schema.js';
import type { AuditSpool, SpoolEntry } from './audit-spool.js';
import { MessageLog, type MessageLogListener, type MessageLogOptions, type MessageRecord, type SessionRecord } from './message-log.js';

export interface SpoolingOptions {
  spool: AuditSpool;
  /** Read on every write, so a policy reload switches the mode at once. */
  mode: () => AuditFailureMode;
  /** How often a waiting spool is retried when no new write comes to retry it. */
  retryMs?: number;
  /** Told once per outage (start and end), never per record. */
  onStateChange?: (state: 'spooling' | 'replayed' | 'stuck', detail: { entries: number; error?: unknown }) => void;
}

/**
 * The store's write side with an audit failure mode (Vault: "does not respond to requests it
 * cannot log"). In `fail-closed` a write the store refuses throws, and the runner refuses the
 * call. In `spool` it goes to the spool file instead and the call goes on; the spool is replayed
 * into the store, in order and in one transaction, before any later write, so the store's order
 * is the order things happened. While entries wait, every write joins the queue behind them
 * (whatever the mode), because a record may never overtake an older one.
 */
export class SpoolingMessageLog extends MessageLog {
  private readonly replayAll;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    db: Database.Database,
    listener: MessageLogListener,
    options: MessageLogOptions,
    private readonly spooling: SpoolingOptions,
  ) {
    super(db, listener, options);
    this.replayAll = db.transaction((entries: readonly SpoolEntry[]) => {
      for (const entry of entries) this.apply(entry);
    });
    // Left over from a run that ended while the store was down, or that died between committing
    // a replay and emptying the spool (then the replay's last message is already in the store).
    if (this.spooling.spool.size > 0) {
      if (alreadyReplayed(db, this.spooling.spool.entries())) this.spooling.spool.clear();
      else this.retryNow();
    }
  }

  /** Records waiting in the spool for the store. */
  get spooled(): number {
    return this.spooling.spool.size;
  }

  override startSession(session: SessionRecord): void {
    this.record({ op: 'session-start', session });
  }

  override describeSession(id: string, info: { clientInfo?: unknown; protocolVersion?: string }): void {
    this.record({ op: 'session-info', id, info });
  }

  override endSession(id: string, reason: string, now = Date.now()): void {
    this.record({ op: 'session-end', id, reason, now });
  }

  /** Returns the row id, or 0 when the record went to the spool (it gets its row on replay). */
  override append(record: MessageRecord): number {
    return this.record({ op: 'message', record }) ?? 0;
  }

  /** Tries to move the spool into the store; true when nothing waits any more. */
  replay(): boolean {
    const { spool } = this.spooling;
    if (spool.size === 0) return true;
    const entries = spool.entries();
    try {
      this.write(() => this.replayAll.immediate(entries));
    } catch (error) {
      if (!isStoreFault(error)) throw error;
      this.scheduleRetry();
      return false;
    }
    // Committed: a crash before the spool is emptied replays these again (at least once).
    spool.clear();
    this.stopRetry();
    this.spooling.onStateChange?.('replayed', { entries: entries.length });
    return true;
  }

  /** Stops retrying; the spool stays on disk for the next start. */
  close(): void {
    this.stopRetry();
    this.spooling.spool.close();
  }

  private record(entry: SpoolEntry): number | undefined {
    const { spool, mode } = this.spooling;
    if (spool.size === 0 || this.replay()) {
      try {
        return this.apply(entry);
      } catch (error) {
        if (mode() !== 'spool' || !isStoreFault(error)) throw error;
        this.spooling.onStateChange?.('spooling', { entries: 0, error });
      }
    } else if (mode() !== 'spool') {
      throw new Error(`the store is refusing writes and ${spool.size} earlier records wait in ${spool.path}`);
    }
    spool.add(entry);
    this.scheduleRetry();
    return undefined;
  }

  private apply(entry: SpoolEntry): number | undefined {
    switch (entry.op) {
      case 'session-start':
        return void super.startSession(entry.session);
      case 'session-info':
        return void super.describeSession(entry.id, entry.info);
      case 'session-end':
        return void super.endSession(entry.id, entry.reason, entry.now);
      case 'message':
        return super.append(entry.record);
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setInterval(() => this.retryNow(), this.spooling.retryMs ?? 1000);
    this.retryTimer.unref();
  }

  private retryNow(): void {
    try {
      this.replay();
    } catch (error) {
      // Not a fault of the disk: retrying cannot help, and every later write will say so.
      this.stopRetry();
      this.spooling.onStateChange?.('stuck', { entries: this.spooling.spool.size, error });
    }
  }

  private stopRetry(): void {
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
  }
}

/**
 * Faults of the place the store lives (full, read-only, locked, I/O), which a later write may not
 * meet. Anything else (a constraint, a bug) is not spooled: replaying it would fail the same way.
 */
export function isStoreFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY|BUSY|LOCKED|CANTOPEN|PROTOCOL|NOMEM)/.test(code);
}

/** Whether the spool's last message is in the store: a replay is one transaction, so then all of it is. */
function alreadyReplayed(db: Database.Database, entries: readonly SpoolEntry[]): boolean {
  const last = entries.findLast((entry) => entry.op === 'message');
  if (!last || last.op !== 'message') return false;
  const { sessionId, ts, direction, kind, outcome, size, rpcId } = last.record;
  return (
    db
      .prepare('SELECT 1 FROM messages WHERE session_id = ? AND ts = ? AND direction = ? AND kind = ? AND outcome = ? AND size = ? AND rpc_id IS ? LIMIT 1')
      .get(sessionId, ts, direction, kind, outcome, size, rpcId ?? null) !== undefined
  );
}
