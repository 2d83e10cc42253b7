import { useCallback, useEffect, useRef, useState } from 'react';
import type { MessageView } from '../../../src-gateway/control/contract.js';
import type { ApiError } from '../../api/airlock-api.js';
import { useApi } from '../../api/api-context.js';
import { asApiError } from '../../live.js';

const PAGE = 500;

export interface SessionMessages {
  items: MessageView[];
  /** More messages are recorded after the last one loaded. */
  more: boolean;
  loading: boolean;
  error: ApiError | null;
  loadMore(): void;
  /** Loads what was recorded after the last message shown (the session is still open). */
  refresh(): void;
}

/** A session's messages in order, a page at a time. */
export function useSessionMessages(sessionId: string): SessionMessages {
  const api = useApi();
  const [items, setItems] = useState<MessageView[]>([]);
  const [nextAfter, setNextAfter] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const generation = useRef(0);

  const load = useCallback(
    async (after: number | undefined) => {
      const mine = generation.current;
      setLoading(true);
      setError(null);
      try {
        const page = await api.call('listMessages', { params: { id: sessionId }, query: { after, limit: PAGE } });
        if (mine !== generation.current) return;
        setItems((previous) => {
          if (after === undefined) return page.items;
          // Overlapping refreshes may bring a message twice.
          const known = new Set(previous.map((message) => message.id));
          return [...previous, ...page.items.filter((message) => !known.has(message.id))];
        });
        setNextAfter(page.nextAfter);
      } catch (failure) {
        if (mine === generation.current) setError(asApiError(failure));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [api, sessionId],
  );

  useEffect(() => {
    generation.current++;
    setItems([]);
    setNextAfter(null);
    void load(undefined);
  }, [load]);

  return {
    items,
    more: nextAfter !== null,
    loading,
    error,
    loadMore: () => nextAfter !== null && void load(nextAfter),
    refresh: () => nextAfter === null && void load(items.length ? items[items.length - 1].id : undefined),
  };
}
