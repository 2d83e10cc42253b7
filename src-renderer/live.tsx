import { createContext, useContext, useEffect, useReducer, useRef, type ReactNode } from 'react';
import type { CallView, ControlEvent, ControlEvents, ProtectionView, RouteData } from '../src-gateway/control/contract.js';
import { ApiError } from './api/airlock-api.js';
import { useApi } from './api/api-context.js';

/** A call held until a person decides (the renderer reaches gateway types only through the contract). */
export type PendingApproval = ControlEvents['approval-pending'];

/** Calls kept in memory for Activity; older ones are in History. */
const MAX_CALLS = 500;
/** How many calls Activity loads at start and after a reconnect. */
const ACTIVITY_LIMIT = 200;
/** Approval ids remembered as resolved, so a late activity answer cannot bring one back. */
const MAX_RESOLVED = 200;

export interface LiveState {
  /** Whether the live feed is up right now. */
  connected: boolean;
  /** `connecting` until the first attempt ends; `down` after a failure, while reconnecting. */
  feed: 'connecting' | 'up' | 'down';
  /** True once activity has loaded at least once. */
  loaded: boolean;
  /** Calls waiting for a person, oldest first. */
  pending: PendingApproval[];
  /** Recent calls, newest first, at most 500. */
  calls: CallView[];
  lastEvent: ControlEvent | null;
  /** Goes up with every event and every reload: a cheap "something changed" for effects. */
  revision: number;
  /** Why the control API cannot be used (no token, token refused, gateway gone), or null. */
  problem: ApiError | null;
  recentlyResolved: string[];
  /** Whether protection is paused, from health and then `protection-changed`. */
  protection: ProtectionView;
}

type Action =
  | { type: 'activity'; data: RouteData['activity'] }
  | { type: 'event'; event: ControlEvent }
  | { type: 'feed'; connected: boolean }
  | { type: 'problem'; problem: ApiError }
  /** `health` answered: the gateway is there and takes the token. */
  | { type: 'reachable'; protection?: ProtectionView };

const INITIAL: LiveState = {
  connected: false,
  feed: 'connecting',
  loaded: false,
  pending: [],
  calls: [],
  lastEvent: null,
  revision: 0,
  problem: null,
  recentlyResolved: [],
  protection: { pausedUntil: null },
};

/** Upserts calls by id, newest (highest request id) first, keeping at most MAX_CALLS. */
function mergeCalls(current: CallView[], incoming: CallView[]): CallView[] {
  const byId = new Map(current.map((call) => [call.id, call]));
  for (const call of incoming) byId.set(call.id, call);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, MAX_CALLS);
}

function reduce(state: LiveState, action: Action): LiveState {
  switch (action.type) {
    case 'activity': {
      const resolved = new Set(state.recentlyResolved);
      return {
        ...state,
        loaded: true,
        problem: null,
        calls: mergeCalls(state.calls, action.data.items),
        pending: action.data.pending.filter((approval) => !resolved.has(approval.id)),
        revision: state.revision + 1,
      };
    }
    case 'feed':
      if (state.connected === action.connected && state.feed !== 'connecting') return state;
      return { ...state, connected: action.connected, feed: action.connected ? 'up' : 'down', problem: action.connected ? null : state.problem };
    case 'problem':
      return { ...state, problem: action.problem };
    case 'reachable': {
      const withProtection = action.protection ? { ...state, protection: action.protection } : state;
      // Only a connection problem is cleared: a failed activity load still stands.
      return isConnectionProblem(state.problem) ? { ...withProtection, problem: null } : withProtection;
    }
    case 'event':
      return { ...applyEvent(state, action.event), lastEvent: action.event, revision: state.revision + 1 };
  }
}

function applyEvent(state: LiveState, event: ControlEvent): LiveState {
  switch (event.type) {
    case 'call':
      return { ...state, calls: mergeCalls(state.calls, [event.data]) };
    case 'approval-pending':
      if (state.pending.some((approval) => approval.id === event.data.id) || state.recentlyResolved.includes(event.data.id)) return state;
      return { ...state, pending: [...state.pending, event.data].sort((a, b) => a.createdAt - b.createdAt) };
    case 'approval-resolved':
      return {
        ...state,
        pending: state.pending.filter((approval) => approval.id !== event.data.id),
        recentlyResolved: [event.data.id, ...state.recentlyResolved].slice(0, MAX_RESOLVED),
      };
    case 'protection-changed':
      return { ...state, protection: event.data };
    default:
      return state;
  }
}

type EventListener = (event: ControlEvent, before: LiveState) => void;

const LiveContext = createContext<LiveState | null>(null);
const ListenersContext = createContext<Set<EventListener> | null>(null);

/**
 * Holds what the gateway is doing right now for every page: loads recent activity once, applies the
 * live events, and reloads after a reconnect so events missed while the feed was down are not lost.
 * When the feed drops it asks `health` why, so the banner can say "token refused" or "gateway gone".
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [state, dispatch] = useReducer(reduce, INITIAL);
  const listeners = useRef(new Set<EventListener>()).current;
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    let active = true;
    const load = () =>
      api.call('activity', { query: { limit: ACTIVITY_LIMIT } }).then(
        (data) => active && dispatch({ type: 'activity', data }),
        (error: unknown) => active && dispatch({ type: 'problem', problem: asApiError(error) }),
      );
    const diagnose = () =>
      api.call('health').then(
        (health) => active && dispatch({ type: 'reachable', protection: health.protection }),
        (error: unknown) => active && dispatch({ type: 'problem', problem: asApiError(error) }),
      );

    void load();
    // Health also says whether protection is paused, which no activity answer carries.
    void diagnose();
    const unsubscribe = api.subscribe(
      (event) => {
        if (!active) return;
        const before = stateRef.current;
        // Kept current between renders too, so each of several quick events sees the one before it.
        stateRef.current = reduce(before, { type: 'event', event });
        dispatch({ type: 'event', event });
        for (const listener of listeners) listener(event, before);
      },
      (connected) => {
        if (!active) return;
        dispatch({ type: 'feed', connected });
        // Up: reload what was missed while down (protection too). Down (each failed attempt): find out why.
        if (connected) void Promise.all([load(), diagnose()]);
        else void diagnose();
      },
    );
    return () => {
      active = false;
      unsubscribe();
    };
  }, [api, listeners]);

  return (
    <ListenersContext.Provider value={listeners}>
      <LiveContext.Provider value={state}>{children}</LiveContext.Provider>
    </ListenersContext.Provider>
  );
}

/** The live state: connection, pending approvals, recent calls, protection. */
export function useLive(): LiveState {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLive outside <LiveProvider>');
  return live;
}

/**
 * Calls `listener` for every live event, with the state as it was just before the event (e.g. the
 * pending approval an `approval-resolved` removes). Unlike `lastEvent`, no event is skipped when
 * several arrive between two renders.
 */
export function useLiveEvent(listener: EventListener): void {
  const listeners = useContext(ListenersContext);
  if (!listeners) throw new Error('useLiveEvent outside <LiveProvider>');
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => {
    const forward: EventListener = (event, before) => latest.current(event, before);
    listeners.add(forward);
    return () => {
      listeners.delete(forward);
    };
  }, [listeners]);
}

/** Errors about the window's connection (no token, token refused, gateway gone), not one request. */
export function isConnectionProblem(error: ApiError | null): boolean {
  return error?.code === 'unauthorized' || error?.code === 'unavailable';
}

/** Any failure as an ApiError, so pages show one kind of message. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('internal', error instanceof Error ? error.message : String(error));
}
