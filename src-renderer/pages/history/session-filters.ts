import type { SessionsQuery } from '../../../src-gateway/control/contract.js';

/** The sessions list's filters as the URL keeps them: plain strings, dates as YYYY-MM-DD. */
export interface SessionFilters {
  server: string;
  tool: string;
  client: string;
  decision: string;
  from: string;
  to: string;
  q: string;
}

export const FILTER_KEYS = ['server', 'tool', 'client', 'decision', 'from', 'to', 'q'] as const satisfies ReadonlyArray<keyof SessionFilters>;

export const DECISIONS = ['allowed', 'masked', 'denied', 'approved', 'failed'] as const;

export function filtersFrom(params: URLSearchParams): SessionFilters {
  const filters = {} as SessionFilters;
  for (const key of FILTER_KEYS) filters[key] = params.get(key) ?? '';
  return filters;
}

/** Local midnight of a YYYY-MM-DD date plus `days` (DST-safe), or undefined for anything else. */
function midnight(date: string, days = 0): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days).getTime();
}

/** The `listSessions` query for the filters: `to` covers its whole day. Empty filters are left out. */
export function sessionsQuery(filters: SessionFilters, cursor?: string): Partial<Record<keyof SessionsQuery, string | number>> {
  const from = midnight(filters.from);
  const nextDay = midnight(filters.to, 1);
  const decision = (DECISIONS as readonly string[]).includes(filters.decision) ? filters.decision : undefined;
  const query: Partial<Record<keyof SessionsQuery, string | number | undefined>> = {
    server: filters.server.trim() || undefined,
    tool: filters.tool.trim() || undefined,
    client: filters.client.trim() || undefined,
    decision,
    from,
    to: nextDay === undefined ? undefined : nextDay - 1,
    q: filters.q.trim() || undefined,
    cursor,
  };
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined)) as Partial<Record<keyof SessionsQuery, string | number>>;
}

export function hasFilters(filters: SessionFilters): boolean {
  return FILTER_KEYS.some((key) => filters[key] !== '');
}
