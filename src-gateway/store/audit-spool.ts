import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageRecord, SessionRecord } from './message-log.js';

/** Where records wait while the store cannot take them (policy `auditFailure: spool`). */
export const SPOOL_FILE = 'audit-spool.jsonl';

/** One write to the store, as it waits in the spool: replayed through the same MessageLog method. */
export type SpoolEntry =
  | { op: 'session-start'; session: SessionRecord }
  | { op: 'session-info'; id: string; info: { clientInfo?: unknown; protocolVersion?: string } }
  | { op: 'session-end'; id: string; reason: string; now: number }
  | { op: 'message'; record: MessageRecord };

/**
 * An append-only JSON-lines file in the data dir (Teleport's "spool" recording mode). A line is
 * in the OS once `add` returns, the same promise `synchronous = NORMAL` gives the store: it
 * survives a crash of the gateway, not a power cut. Entries are also kept in memory as their
 * lines, so retrying the store while it is down does not re-read the file on every call; both are
 * bounded by `limits.maxSpoolBytes`, past which the spool refuses and the call is refused with it.
 */
export class AuditSpool {
  readonly path: string;
  private lines: string[] = [];
  private bytes = 0;
  private fd: number | undefined;

  /** `maxBytes`: what the spool may hold (`limits.maxSpoolBytes`); beyond it `add` throws, so the call is refused. */
  constructor(
    dataDir: string,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {
    this.path = join(dataDir, SPOOL_FILE);
    if (statSync(this.path, { throwIfNoEntry: false })?.isFile()) {
      // A torn last line (the gateway died mid-write) was never acknowledged to anyone: drop it.
      this.lines = readFileSync(this.path, 'utf8').split('\n').filter((line) => line !== '' && parses(line));
      this.bytes = this.lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0);
    }
  }

  get size(): number {
    return this.lines.length;
  }

  /** Appends one entry; throws if the spool itself cannot be written (then the caller fails closed). */
  add(entry: SpoolEntry): void {
    const line = JSON.stringify(entry);
    const bytes = Buffer.from(line + '\n');
    if (this.bytes + bytes.length > this.maxBytes) {
      throw new Error(`the audit spool ${this.path} is full (limits.maxSpoolBytes, ${this.maxBytes} bytes) and the store still refuses writes`);
    }
    this.fd ??= openSync(this.path, 'a', 0o600);
    const before = fstatSync(this.fd).size;
    if (writeSync(this.fd, bytes) !== bytes.length) {
      // A short write (a file size limit, a full disk): cut it off, or the next line would be glued to it.
      ftruncateSync(this.fd, before);
      throw new Error(`could not write the audit spool ${this.path}: short write`);
    }
    this.lines.push(line);
    this.bytes += bytes.length;
  }

  /** Every waiting entry, oldest first. */
  entries(): SpoolEntry[] {
    return this.lines.map((line) => JSON.parse(line) as SpoolEntry);
  }

  /**
   * Empties the spool once its entries are committed to the store, and lets go of the file: the
   * next outage opens the path again, so a spool file removed or replaced in between is noticed
   * rather than written as an unlinked inode.
   */
  clear(): void {
    const fd = this.fd;
    // Forgotten first: the entries are in the store, whatever happens to the file now (a spool
    // left on disk is recognised as replayed at the next start).
    this.fd = undefined;
    this.lines = [];
    this.bytes = 0;
    const handle = fd ?? openSync(this.path, 'r+');
    try {
      ftruncateSync(handle);
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function parses(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
