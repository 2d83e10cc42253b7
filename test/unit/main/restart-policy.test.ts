import { describe, expect, it } from 'vitest';
import { RestartPolicy } from '../../../src-main/restart-policy.js';

describe('RestartPolicy', () => {
  it('doubles the delay from 0.5 s with each failure in a row, capped at 30 s', () => {
    const policy = new RestartPolicy({ maxFailures: 100 });
    const delays = Array.from({ length: 9 }, (_, i) => policy.noteFailure(i * 1000).delayMs);
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('is failing after K failures within the window', () => {
    const policy = new RestartPolicy({ maxFailures: 3, windowMs: 10_000 });
    expect(policy.noteFailure(0).failing).toBe(false);
    expect(policy.noteFailure(1000).failing).toBe(false);
    expect(policy.noteFailure(2000).failing).toBe(true);
  });

  it('does not count failures older than the window', () => {
    const policy = new RestartPolicy({ maxFailures: 3, windowMs: 10_000 });
    policy.noteFailure(0);
    policy.noteFailure(1000);
    expect(policy.noteFailure(11_000).failing).toBe(false);
  });

  it('starts the backoff over after the child was healthy for 60 s', () => {
    const policy = new RestartPolicy();
    policy.noteFailure(0);
    policy.noteFailure(1000);
    policy.noteHealthy(5000);
    expect(policy.noteFailure(5000 + 59_000).delayMs).toBe(2000);
    policy.noteHealthy(70_000);
    expect(policy.noteFailure(70_000 + 60_000).delayMs).toBe(500);
  });

  it('keeps backing off when a child was healthy only briefly', () => {
    const policy = new RestartPolicy();
    policy.noteFailure(0);
    policy.noteHealthy(600);
    expect(policy.noteFailure(2000).delayMs).toBe(1000);
  });
});
