import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { CallAdmission } from './call-admission.js';
import type { PendingRequest } from './pipeline-types.js';

/** An agent request forwarded to the server and not yet answered. */
export interface OpenCall extends PendingRequest {
  id: RequestId;
}

interface Entry {
  call: OpenCall;
  timer: NodeJS.Timeout;
}

/**
 * The agent requests of one session that wait on the server, by JSON-encoded id, oldest first.
 * Each holds one gateway-wide admission slot and a deadline; whatever way a call leaves (answer,
 * timeout, cancellation, session end) it leaves through `delete` or `clear`, which give both back,
 * so no path can leak a slot or a timer.
 */
export class OpenCalls {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly admission: CallAdmission,
    /** Called once when a call's deadline passes; the call is still open then. */
    private readonly onTimeout: (key: string, call: OpenCall) => void,
  ) {}

  /** Opens a call if the gateway has room for it; false means overloaded (nothing was opened). */
  admit(key: string, call: OpenCall): boolean {
    if (this.entries.has(key)) this.delete(key);
    if (!this.admission.tryAcquire()) return false;
    this.entries.set(key, { call, timer: this.deadline(key, call) });
    return true;
  }

  /** The call made progress: its deadline starts again, as the MCP SDK does with `resetTimeoutOnProgress`. */
  touch(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = this.deadline(key, entry.call);
  }

  get(key: string): OpenCall | undefined {
    return this.entries.get(key)?.call;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.entries.delete(key);
    this.admission.release();
    return true;
  }

  /** Drops every call without answering it: the session is over. */
  clear(): void {
    for (const key of [...this.entries.keys()]) this.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The open calls, oldest first. */
  *values(): IterableIterator<OpenCall> {
    for (const entry of this.entries.values()) yield entry.call;
  }

  /** The key of the open call that announced this progress token. */
  keyOfProgress(token: string | number): string | undefined {
    for (const [key, entry] of this.entries) if (entry.call.progressToken === token) return key;
    return undefined;
  }

  private deadline(key: string, call: OpenCall): NodeJS.Timeout {
    // Unref'd: a pending deadline must not keep a stopping gateway alive.
    return setTimeout(() => this.onTimeout(key, call), this.admission.requestTimeoutMs).unref();
  }
}
