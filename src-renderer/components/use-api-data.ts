import { useEffect, useState } from 'react';
import type { ApiError } from '../api/airlock-api.js';
import { asApiError } from '../live.js';

export interface ApiData<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
}

/**
 * The result of `load`, run again whenever a key in `deps` changes. The last good data stays on
 * screen while a reload runs or fails; an answer that arrives after a newer request is dropped.
 */
export function useApiData<T>(load: () => Promise<T>, deps: readonly unknown[]): ApiData<T> {
  const [state, setState] = useState<ApiData<T>>({ data: undefined, error: null, loading: true });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState((previous) => ({ data: previous.data, error: asApiError(error), loading: false })),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure each render; the caller names what it depends on.
  }, deps);
  return state;
}
