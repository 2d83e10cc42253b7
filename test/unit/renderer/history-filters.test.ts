import { describe, expect, it } from 'vitest';
import { SessionsQuerySchema } from '../../../src-gateway/control/contract.js';
import { filtersFrom, hasFilters, sessionsQuery } from '../../../src-renderer/pages/history/session-filters.js';
import { replayDelay } from '../../../src-renderer/pages/history/use-replay.js';

describe('the History filters in the URL', () => {
  it('turns the URL query into a listSessions query the contract accepts, dates as whole local days', () => {
    const filters = filtersFrom(new URLSearchParams('server=demo&tool=run_sql&decision=denied&from=2025-03-01&to=2025-03-02&q=%20Emily%20'));
    const query = sessionsQuery(filters, 'next-page');
    expect(query).toEqual({
      server: 'demo',
      tool: 'run_sql',
      decision: 'denied',
      from: new Date(2025, 2, 1).getTime(),
      to: new Date(2025, 2, 3).getTime() - 1,
      q: 'Emily',
      cursor: 'next-page',
    });
    expect(SessionsQuerySchema.safeParse(Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]))).success).toBe(true);
  });

  it('leaves out empty, blank and unknown values', () => {
    const filters = filtersFrom(new URLSearchParams('server=%20&decision=maybe&from=yesterday'));
    expect(sessionsQuery(filters)).toEqual({});
    expect(hasFilters(filtersFrom(new URLSearchParams('')))).toBe(false);
    expect(hasFilters(filtersFrom(new URLSearchParams('client=local')))).toBe(true);
  });
});

describe('replaying a session', () => {
  it('waits the real gap between messages, scaled by the speed and capped at 2 s', () => {
    expect(replayDelay(1_000, 1_600, '1')).toBe(600);
    expect(replayDelay(1_000, 1_600, '2')).toBe(300);
    expect(replayDelay(1_000, 1_600, '4')).toBe(150);
    expect(replayDelay(1_000, 60_000, '1')).toBe(2_000);
    expect(replayDelay(1_000, 60_000, 'instant')).toBe(0);
    expect(replayDelay(5_000, 1_000, '1')).toBe(0);
  });
});
