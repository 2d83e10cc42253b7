/** Refresh this long before the access token expires, at most; sooner for short-lived tokens. */
const MARGIN_MS = 60_000;
const MAX_RETRY_MS = 10 * 60_000;

/**
 * Milliseconds until a token expiring at `expiresAt` should be refreshed: a minute before, or at
 * four fifths of a shorter remaining life, so a refresh is done before any request needs it.
 */
export function refreshDelay(expiresAt: number, now: number): number {
  const remaining = expiresAt - now;
  return Math.max(1_000, remaining - Math.min(MARGIN_MS, remaining / 5));
}

/** The wait before the `failures`-th retry of a refresh that could not reach the issuer: 30 s, doubling, at most 10 min. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_MS, 30_000 * 2 ** Math.max(0, failures - 1));
}
