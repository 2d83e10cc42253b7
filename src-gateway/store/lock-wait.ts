import type Database from 'better-sqlite3';

/** How long the first write that meets another process's write lock waits for it (busy_timeout). */
export const GATEWAY_LOCK_WAIT_MS = 250;

/**
 * How the gateway's writes wait on a store another process holds locked (a sqlite3 shell left in
 * a transaction, a backup tool, the CLI writing a token). SQLite's busy wait blocks the thread, so
 * a long lock with a fixed wait would freeze the whole gateway, once per write: health, every
 * session. Instead the first write that meets the lock waits up to `waitMs` (long enough for a
 * CLI's short write), and while the store stays locked later writes fail at once (the audit
 * failure mode then refuses or spools them); the first write that succeeds restores the wait.
 */
export class LockWait {
  private locked = false;

  constructor(
    private readonly db: Database.Database,
    private readonly waitMs: number = GATEWAY_LOCK_WAIT_MS,
  ) {
    db.pragma(`busy_timeout = ${waitMs}`);
  }

  /** Runs one write (statement or transaction) under this wait. */
  run<T>(write: () => T): T {
    let result: T;
    try {
      result = write();
    } catch (error) {
      if (!this.locked && isLocked(error)) this.setLocked(true);
      throw error;
    }
    if (this.locked) this.setLocked(false);
    return result;
  }

  /** Whether writes are failing fast because the store was locked at the last attempt. */
  get waitingOut(): boolean {
    return this.locked;
  }

  private setLocked(locked: boolean): void {
    this.locked = locked;
    this.db.pragma(`busy_timeout = ${locked ? 0 : this.waitMs}`);
  }
}

function isLocked(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}
