import type { ProtectionView } from '../control/contract.js';

type Listener = (view: ProtectionView) => void;

/** Starts a one-shot timer and returns its cancel; injectable so tests need not wait. */
export type ScheduleTimer = (run: () => void, delayMs: number) => () => void;

const realTimer: ScheduleTimer = (run, delayMs) => {
  const timer = setTimeout(run, delayMs);
  // A pending resume must not keep the gateway process alive.
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * Whether protection is paused, gateway-wide: while it is, calls a rule would hold for approval go
 * through (recorded as allowed by `paused`). The state is derived from the clock alone, so a pause
 * ends at `pausedUntil` even if the timer is late; the timer only tells listeners that it ended.
 */
export class ProtectionPause {
  private until: number | null = null;
  private cancelTimer: (() => void) | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly schedule: ScheduleTimer = realTimer,
  ) {}

  isPaused(): boolean {
    return this.until !== null && this.now() < this.until;
  }

  view(): ProtectionView {
    return { pausedUntil: this.isPaused() ? this.until : null };
  }

  /** Pauses for `minutes` from now; a second pause replaces the first rather than adding to it. */
  pause(minutes: number): ProtectionView {
    this.cancelTimer?.();
    const until = this.now() + minutes * 60_000;
    this.until = until;
    this.cancelTimer = this.schedule(() => this.expire(until), until - this.now());
    return this.changed();
  }

  /** Protection on again now; a no-op (no event) when it was not paused. */
  resume(): ProtectionView {
    const wasPaused = this.isPaused();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.until = null;
    return wasPaused ? this.changed() : this.view();
  }

  /** Called with the new state on every pause, resume and expiry. Returns the unsubscribe. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private expire(until: number): void {
    // A timer of a pause since replaced or ended finds a different `until`.
    if (this.until !== until) return;
    if (this.now() < until) {
      this.cancelTimer = this.schedule(() => this.expire(until), until - this.now());
      return;
    }
    this.until = null;
    this.cancelTimer = undefined;
    this.changed();
  }

  private changed(): ProtectionView {
    const view = this.view();
    for (const listener of this.listeners) listener(view);
    return view;
  }
}
