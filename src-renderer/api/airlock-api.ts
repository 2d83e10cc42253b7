import type { ControlEvent, JsonRouteName, RouteData, RouteInput } from '../../src-gateway/control/contract.js';

/**
 * The one interface the UI codes against. In a browser it is backed by HTTP and server-sent events
 * against the gateway's control API (`http-api.ts`); in the desktop app by the preload bridge, where
 * the main process holds the control token. Pages never see a token or a URL.
 */
export interface AirlockApi {
  /** Calls a JSON route of the control API; rejects with an `ApiError` carrying its code and message. */
  call<K extends JsonRouteName>(route: K, input?: RouteInput): Promise<RouteData[K]>;
  /** A session's recorded messages as JSONL, for download. */
  exportSession(sessionId: string): Promise<string>;
  /** Live events; `onConnection` reports whether the feed is up. Returns the unsubscribe. */
  subscribe(onEvent: (event: ControlEvent) => void, onConnection?: (connected: boolean) => void): () => void;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
