import { useEffect, useState } from 'react';
import { currentRoute, navigate } from '../router.js';

/** The page URL's query string (`?a=1`), re-read on navigation (back/forward included). */
export function useSearch(): string {
  const [search, setSearch] = useState(() => window.location.search);
  useEffect(() => {
    const update = () => setSearch(window.location.search);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return search;
}

/**
 * Navigates to `route` with `params` as its query, leaving out empty values. A change of the query
 * alone is a navigation too (a history entry, so Back restores the previous filters); `navigate`
 * compares routes without their query, so that case is pushed here.
 */
export function navigateWithQuery(route: string, params: Record<string, string | undefined>): void {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const search = query.toString() ? `?${query}` : '';
  if (route !== currentRoute()) return navigate(route + search);
  if (search === window.location.search) return;
  window.history.pushState(null, '', window.location.pathname + search);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
