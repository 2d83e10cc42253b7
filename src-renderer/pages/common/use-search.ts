import { useEffect, useState } from 'react';

/** The page URL's query string (`?session=…&from=…`), updated on navigation like `useRoute`. */
export function useSearch(): string {
  const [search, setSearch] = useState(() => window.location.search);
  useEffect(() => {
    const update = () => setSearch(window.location.search);
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return search;
}
