/** Bounds of a retry delay: the first retry waits up to `baseMs`, no retry waits more than `capMs`. */
export interface BackoffBounds {
  baseMs: number;
  capMs: number;
}

/**
 * Exponential backoff with full jitter (a uniformly random delay up to the exponential bound), so
 * many gateways that lost the hub together do not retry together. `attempt` counts from 1.
 */
export function fullJitterDelay(attempt: number, bounds: BackoffBounds, random: () => number = Math.random): number {
  const ceiling = Math.min(bounds.capMs, bounds.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.floor(random() * ceiling);
}
