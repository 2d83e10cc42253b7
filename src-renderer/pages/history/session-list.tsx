import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionView } from '../../../src-gateway/control/contract.js';
import type { ApiError } from '../../api/airlock-api.js';
import { useApi } from '../../api/api-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorMessage } from '../../components/error-message.js';
import { asApiError } from '../../live.js';
import { Link } from '../../router.js';
import { FiltersForm } from './filters-form.js';
import { filtersFrom, hasFilters, sessionsQuery, type SessionFilters } from './session-filters.js';
import { SessionsTable } from './sessions-table.js';
import { navigateWithQuery, useSearch } from '../../components/use-search.js';

interface ListState {
  items: SessionView[];
  nextCursor: string | null;
  loading: boolean;
  error: ApiError | null;
}

/** Recorded sessions with filters kept in the URL, a page at a time. */
export function SessionList() {
  const api = useApi();
  const search = useSearch();
  // One object per query string, so the form is reset only when the URL changes.
  const filters = useMemo(() => filtersFrom(new URLSearchParams(search)), [search]);
  const [list, setList] = useState<ListState>({ items: [], nextCursor: null, loading: true, error: null });
  /** Which filters the list belongs to; a page that answers after the filters changed is dropped. */
  const generation = useRef(0);

  const load = useCallback(
    async (cursor: string | undefined) => {
      const mine = generation.current;
      setList((previous) => ({ ...previous, loading: true, error: null }));
      try {
        const page = await api.call('listSessions', { query: sessionsQuery(filters, cursor) });
        if (mine !== generation.current) return;
        setList((previous) => ({
          items: cursor ? [...previous.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
          loading: false,
          error: null,
        }));
      } catch (error) {
        if (mine === generation.current) setList((previous) => ({ ...previous, loading: false, error: asApiError(error) }));
      }
    },
    [api, filters],
  );

  useEffect(() => {
    generation.current++;
    setList({ items: [], nextCursor: null, loading: true, error: null });
    void load(undefined);
  }, [load]);

  const apply = (next: SessionFilters) => navigateWithQuery('/history', { ...next });
  const filtered = hasFilters(filters);

  return (
    <div className="page">
      <header className="page-header">
        <h1>History</h1>
      </header>
      <FiltersForm filters={filters} onApply={apply} />
      <ErrorMessage what="Sessions could not be loaded" error={list.error} />
      <p role="status" className="muted small">
        {list.loading ? 'Loading sessions…' : `${list.items.length} session${list.items.length === 1 ? '' : 's'}${list.nextCursor ? ' shown, more available' : ''}`}
      </p>
      {list.items.length > 0 && <SessionsTable sessions={list.items} />}
      {!list.loading && !list.error && list.items.length === 0 && (
        <EmptyState title={filtered ? 'No sessions match these filters' : 'Nothing recorded yet'}>
          {filtered ? (
            <p>Try fewer filters or a wider date range, or clear the filters to see every session.</p>
          ) : (
            <p>
              Every session an agent opens through Airlock is recorded here, masked. Connect an agent (see <Link to="/connections">Connections</Link>) and
              make a call.
            </p>
          )}
        </EmptyState>
      )}
      {list.nextCursor && (
        <button type="button" className="button" disabled={list.loading} onClick={() => void load(list.nextCursor ?? undefined)}>
          Load more
        </button>
      )}
    </div>
  );
}
