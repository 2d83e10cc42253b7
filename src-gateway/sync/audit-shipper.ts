import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { OrgAuditView } from '../control/contract.js';
import type { Logger } from '../logger.js';
import type { AuditOutbox } from '../store/audit-outbox.js';
import { fullJitterDelay, type BackoffBounds } from './full-jitter.js';
import type { OrgFetch } from './org-fetch.js';
import { encodeAuditLogs } from './otlp-logs.js';

const gzipAsync = promisify(gzip);

/** The current access token for the hub; undefined while nobody is signed in. */
export type AccessTokenSource = () => Promise<string | undefined>;

export interface AuditShipperOptions {
  outbox: AuditOutbox;
  /** The hub's base URL; batches go to `<hub>/v1/logs`. */
  hub: string;
  /** Where batches go instead (`org.logsUrl`): an OpenTelemetry Collector's OTLP/HTTP logs endpoint. */
  logsUrl?: string;
  fetch: OrgFetch;
  accessToken: AccessTokenSource;
  audit: { batchSize: number; warnUnshipped: number; maxUnshipped: number };
  version: string;
  logger: Logger;
  /** How long to wait between looks at an empty outbox. */
  idleMs?: number;
  backoff?: BackoffBounds;
  /** A POST that takes longer than this counts as failed (and is retried with the same key). */
  requestTimeoutMs?: number;
  random?: () => number;
  now?: () => number;
  /** Told when the status changes in a way worth showing: a batch shipped, an error came or went. */
  onChange?: () => void;
}

/**
 * Ships the audit outbox to the hub as OTLP/HTTP JSON logs, one batch at a time, in order.
 * At-least-once: a batch leaves the outbox only after a 2xx; anything else (hub down, 5xx, 401,
 * signed out) is retried with the same idempotency key after an exponential backoff with full
 * jitter, and the hub dedups. Nothing is dropped unless `maxUnshipped` says so.
 */
export class AuditShipper {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** A `shipNow` during an attempt: the wait after it is skipped. */
  private wakeRequested = false;
  private readonly stopping = new AbortController();
  /** Attempts begun so far, and who waits for the attempt after a given count to end. */
  private attempts = 0;
  private waiters: Array<{ after: number; resolve: () => void }> = [];
  private failures = 0;
  private lastError: string | undefined;
  private warned = false;
  private readonly now: () => number;

  constructor(private readonly options: AuditShipperOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts shipping; a shipper is started once. */
  start(): void {
    if (this.loop) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Stops, abandoning the request in flight: its batch stays claimed and is resent with its key next time. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    this.wake?.();
    await this.loop;
  }

  /**
   * Looks at the outbox now instead of at the end of the current wait (also cuts a backoff short);
   * resolves once an attempt begun from now on has ended, shipped or not.
   */
  shipNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push({ after: this.attempts, resolve }));
    if (this.wake) this.wake();
    else this.wakeRequested = true;
    return done;
  }

  status(): OrgAuditView {
    const { unshipped, oldestAt, lastShippedAt, dropped } = this.options.outbox.counts();
    return { unshipped, oldestUnshippedAt: oldestAt, lastShippedAt, dropped, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  private async run(): Promise<void> {
    const { idleMs = 2000, backoff = { baseMs: 1000, capMs: 60_000 }, random } = this.options;
    while (!this.stopped) {
      const attempt = ++this.attempts;
      let wait = 0;
      try {
        this.enforceRetention();
        const shipped = await this.shipOne();
        const recovered = this.lastError !== undefined;
        this.failures = 0;
        this.lastError = undefined;
        if (shipped || recovered) this.options.onChange?.();
        if (!shipped) wait = idleMs;
      } catch (error) {
        if (this.stopped) break;
        const message = (error as Error).message;
        this.failures += 1;
        wait = fullJitterDelay(this.failures, backoff, random);
        this.options.logger.warn(`audit shipping to the hub failed (attempt ${this.failures}, next in ${Math.round(wait / 1000)} s): ${message}`);
        if (message !== this.lastError) {
          this.lastError = message;
          this.options.onChange?.();
        }
      }
      this.settleWaiters(attempt);
      if (wait > 0) await this.sleep(wait);
    }
    this.settleWaiters(Infinity);
  }

  private settleWaiters(attempt: number): void {
    const ready = this.waiters.filter((w) => w.after < attempt);
    this.waiters = this.waiters.filter((w) => w.after >= attempt);
    for (const waiter of ready) waiter.resolve();
  }

  /** Ships the next batch; false when the outbox is empty. */
  private async shipOne(): Promise<boolean> {
    const { outbox, hub, logsUrl, fetch, accessToken, audit, version, requestTimeoutMs = 30_000 } = this.options;
    const batch = outbox.claim(randomUUID(), audit.batchSize);
    if (!batch) return false;
    const token = await accessToken();
    if (!token) throw new Error('not signed in to the org: records wait in the outbox');
    const body = await gzipAsync(JSON.stringify(encodeAuditLogs(batch.records, { installationId: outbox.installationId(), version })));
    const response = await fetch(logsUrl ? new URL(logsUrl) : new URL('v1/logs', hub.endsWith('/') ? hub : `${hub}/`), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        authorization: `Bearer ${token}`,
        'idempotency-key': batch.id,
      },
      body,
      signal: AbortSignal.any([this.stopping.signal, AbortSignal.timeout(requestTimeoutMs)]),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the hub answered ${response.status} ${response.statusText}`.trim());
    outbox.acknowledge(batch.id, this.now());
    this.options.logger.debug(`audit: shipped ${batch.records.length} records (batch ${batch.id})`);
    return true;
  }

  /** Warns once past `warnUnshipped`; drops the oldest past `maxUnshipped` when that is set (> 0). */
  private enforceRetention(): void {
    const { outbox, audit, logger } = this.options;
    const { unshipped } = outbox.counts();
    if (audit.maxUnshipped > 0 && unshipped > audit.maxUnshipped) {
      const dropped = outbox.drop(unshipped - audit.maxUnshipped);
      if (dropped) logger.warn(`audit outbox: dropped the ${dropped} oldest unshipped records (org.audit.maxUnshipped is ${audit.maxUnshipped})`);
    }
    if (unshipped >= audit.warnUnshipped && !this.warned) {
      logger.warn(`audit outbox: ${unshipped} records wait to be shipped to the hub`);
      this.warned = true;
    } else if (unshipped < audit.warnUnshipped) {
      this.warned = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped || this.wakeRequested) {
      this.wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }
}
