import { describe, expect, it } from 'vitest';
import { ProtectionPause, type ScheduleTimer } from '../../../../src-gateway/approvals/protection-pause.js';
import type { ProtectionView } from '../../../../src-gateway/control/contract.js';

/** A clock the test moves, and timers that fire only when the test runs them. */
function fakeTime() {
  let now = 1_000_000;
  const timers: Array<{ at: number; run: () => void; cancelled: boolean }> = [];
  const schedule: ScheduleTimer = (run, delayMs) => {
    const timer = { at: now + delayMs, run, cancelled: false };
    timers.push(timer);
    return () => (timer.cancelled = true);
  };
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.splice(0)) {
      if (timer.cancelled) continue;
      if (timer.at <= now) timer.run();
      else timers.push(timer);
    }
  };
  return { now: () => now, schedule, advance, live: () => timers.filter((t) => !t.cancelled).length };
}

describe('pausing protection', () => {
  it('is on until paused, then paused for the minutes asked', () => {
    const time = fakeTime();
    const pause = new ProtectionPause(time.now, time.schedule);
    expect(pause.isPaused()).toBe(false);
    expect(pause.view()).toEqual({ pausedUntil: null });
    const view = pause.pause(15);
    expect(view).toEqual({ pausedUntil: time.now() + 15 * 60_000 });
    expect(pause.isPaused()).toBe(true);
  });

  it('resumes by itself at pausedUntil and tells listeners', () => {
    const time = fakeTime();
    const pause = new ProtectionPause(time.now, time.schedule);
    const heard: ProtectionView[] = [];
    pause.onChange((view) => heard.push(view));
    pause.pause(1);
    time.advance(59_999);
    expect(pause.isPaused()).toBe(true);
    time.advance(1);
    expect(pause.isPaused()).toBe(false);
    expect(heard.at(-1)).toEqual({ pausedUntil: null });
    expect(heard).toHaveLength(2);
  });

  it('counts as resumed at pausedUntil even when the timer has not fired yet', () => {
    const time = fakeTime();
    const pause = new ProtectionPause(time.now, () => () => {});
    pause.pause(1);
    time.advance(60_000);
    expect(pause.isPaused()).toBe(false);
    expect(pause.view()).toEqual({ pausedUntil: null });
  });

  it('resumes early, cancelling the pending resume, and a resume while on says nothing', () => {
    const time = fakeTime();
    const pause = new ProtectionPause(time.now, time.schedule);
    const heard: ProtectionView[] = [];
    pause.onChange((view) => heard.push(view));
    pause.pause(15);
    expect(pause.resume()).toEqual({ pausedUntil: null });
    expect(time.live()).toBe(0);
    pause.resume();
    expect(heard).toEqual([{ pausedUntil: expect.any(Number) }, { pausedUntil: null }]);
  });

  it('a second pause replaces the first: the old timer does not end the new pause', () => {
    const time = fakeTime();
    const pause = new ProtectionPause(time.now, time.schedule);
    pause.pause(1);
    time.advance(30_000);
    const second = pause.pause(5);
    time.advance(30_000);
    expect(pause.view()).toEqual(second);
    time.advance(5 * 60_000);
    expect(pause.isPaused()).toBe(false);
  });
});
