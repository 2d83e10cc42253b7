/** When to restart a crashed gateway, and when to tell the user it keeps failing. Pure: time comes in. */
export interface RestartPolicyOptions {
  /** Delay before the first restart; it doubles with each failure in a row. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A child healthy this long has recovered: the next failure starts the backoff over. */
  resetAfterHealthyMs?: number;
  /** This many failures within `windowMs` make the gateway `failing`. */
  maxFailures?: number;
  windowMs?: number;
}

export interface FailureVerdict {
  delayMs: number;
  /** True once `maxFailures` happened within the window: badge the tray, notify. */
  failing: boolean;
}

export class RestartPolicy {
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly resetAfterHealthyMs: number;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private inARow = 0;
  private failures: number[] = [];
  private healthySince: number | undefined;

  constructor(options: RestartPolicyOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.resetAfterHealthyMs = options.resetAfterHealthyMs ?? 60_000;
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 120_000;
  }

  /** The child became healthy at `now`. */
  noteHealthy(now: number): void {
    this.healthySince = now;
  }

  /** The child crashed, failed to start or failed its health check at `now`. */
  noteFailure(now: number): FailureVerdict {
    if (this.healthySince !== undefined && now - this.healthySince >= this.resetAfterHealthyMs) this.reset();
    this.healthySince = undefined;
    this.failures = [...this.failures.filter((at) => now - at < this.windowMs), now];
    const delayMs = Math.min(this.initialDelayMs * 2 ** this.inARow, this.maxDelayMs);
    this.inARow += 1;
    return { delayMs, failing: this.failures.length >= this.maxFailures };
  }

  /** Forgets every failure: a fresh start asked for by the user. */
  reset(): void {
    this.inARow = 0;
    this.failures = [];
    this.healthySince = undefined;
  }
}
