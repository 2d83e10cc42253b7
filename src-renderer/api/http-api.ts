import type { CONTROL_ROUTES, ControlEvent, JsonRouteName, RouteData, RouteInput, RouteName } from '../../src-gateway/control/contract.js';
import { ApiError, type AirlockApi } from './airlock-api.js';
import { readSse } from './sse-reader.js';

/**
 * Each route's method and path, typed against the contract: a path or method that differs from
 * `CONTROL_ROUTES` fails to compile. The contract itself is imported for its type only, so zod
 * stays out of the page.
 */
const ROUTES: { [K in RouteName]: Pick<(typeof CONTROL_ROUTES)[K], 'method' | 'path'> } = {
  health: { method: 'GET', path: '/control/health' },
  stats: { method: 'GET', path: '/control/stats' },
  events: { method: 'GET', path: '/control/events' },
  activity: { method: 'GET', path: '/control/activity' },
  listSessions: { method: 'GET', path: '/control/sessions' },
  getSession: { method: 'GET', path: '/control/sessions/:id' },
  listMessages: { method: 'GET', path: '/control/sessions/:id/messages' },
  exportSession: { method: 'GET', path: '/control/sessions/:id/export' },
  listApprovals: { method: 'GET', path: '/control/approvals' },
  decideApproval: { method: 'POST', path: '/control/approvals/:id/decision' },
  policyStatus: { method: 'GET', path: '/control/policy' },
  checkPolicy: { method: 'POST', path: '/control/policy/check' },
  validatePolicy: { method: 'POST', path: '/control/policy/validate' },
  addLocalRule: { method: 'POST', path: '/control/policy/local-rules' },
  removeLocalRule: { method: 'DELETE', path: '/control/policy/local-rules/:id' },
  listDetectors: { method: 'GET', path: '/control/mask/detectors' },
  previewMasking: { method: 'POST', path: '/control/mask/preview' },
  listConnections: { method: 'GET', path: '/control/connections' },
  addConnection: { method: 'POST', path: '/control/connections' },
  updateConnection: { method: 'PUT', path: '/control/connections/:name' },
  removeConnection: { method: 'DELETE', path: '/control/connections/:name' },
  testConnection: { method: 'POST', path: '/control/connections/:name/test' },
  approveTool: { method: 'POST', path: '/control/connections/:name/tools/:tool/approve' },
  rejectTool: { method: 'POST', path: '/control/connections/:name/tools/:tool/reject' },
  listClients: { method: 'GET', path: '/control/clients' },
  createClient: { method: 'POST', path: '/control/clients' },
  revokeClient: { method: 'DELETE', path: '/control/clients/:name' },
  protection: { method: 'GET', path: '/control/protection' },
  pauseProtection: { method: 'POST', path: '/control/protection/pause' },
  resumeProtection: { method: 'DELETE', path: '/control/protection/pause' },
  listAgentApps: { method: 'GET', path: '/control/agent-apps' },
  previewAgentApp: { method: 'POST', path: '/control/agent-apps/:id/preview' },
  connectAgentApp: { method: 'POST', path: '/control/agent-apps/:id/connect' },
  undoAgentApp: { method: 'POST', path: '/control/agent-apps/:id/undo' },
  orgStatus: { method: 'GET', path: '/control/org' },
  orgLogin: { method: 'POST', path: '/control/org/login' },
  orgLogout: { method: 'POST', path: '/control/org/logout' },
  orgSyncNow: { method: 'POST', path: '/control/org/sync' },
};

const TOKEN_KEY = 'airlock.control-token';
/** What to do without a usable token; the connection banner shows it. */
export const HOW_TO_OPEN = 'open the link printed by `airlock gateway`, or run `airlock ui`';
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 15_000;

/**
 * The control token this page was opened with. `airlock ui` and `airlock gateway` print
 * `/ui/#token=…`: the fragment never reaches a server or a log, and is removed from the address bar
 * (and so from bookmarks and the history) at once; the token stays in this tab's session storage so
 * a reload keeps working. Returns '' when the page was opened without one.
 */
export function takeTokenFromUrl(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    try {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token still works until the tab is reloaded.
    }
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? '';
  } catch {
    return '';
  }
}

/** A route's method, its path with `:params` filled in (URL-encoded), and its defined query values. */
export function routeRequest(name: RouteName, input: RouteInput = {}): { method: (typeof ROUTES)[RouteName]['method']; path: string; query: Record<string, string | number> } {
  const path = ROUTES[name].path.replace(/:([a-z]+)/g, (_match, key: string) => {
    const value = input.params?.[key];
    if (value === undefined) throw new ApiError('bad-request', `the ${name} route needs "${key}"`);
    return encodeURIComponent(value);
  });
  const query: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (value !== undefined) query[key] = value;
  }
  return { method: ROUTES[name].method, path, query };
}

/** A route's path with its `:params` filled in (URL-encoded) and its query appended. */
function urlFor(name: RouteName, input: RouteInput = {}): string {
  const { path, query } = routeRequest(name, input);
  const search = new URLSearchParams(Object.entries(query).map(([key, value]) => [key, String(value)])).toString();
  return search ? `${path}?${search}` : path;
}

function isErrorBody(value: unknown): value is { ok: false; code: string; message: string } {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false && typeof (value as { message?: unknown }).message === 'string';
}

/** The error a failed response stands for: the gateway's own `{ok:false}` when it sent one. */
async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (isErrorBody(body)) return new ApiError(String(body.code), body.message, response.status);
  } catch {
    // Not JSON: something other than the control API answered.
  }
  return new ApiError('internal', `Airlock answered HTTP ${response.status} ${response.statusText}`.trim(), response.status);
}

function unreachable(): ApiError {
  return new ApiError('unavailable', `Airlock is not reachable at ${window.location.origin}: is the gateway still running?`, 0);
}

/**
 * The control API over HTTP for a browser tab: same origin, `Authorization: Bearer <token>`.
 * Live events come from `GET /control/events` read with fetch streaming (EventSource cannot send
 * the header), reconnecting with backoff.
 */
export function createHttpApi(token: string): AirlockApi {
  const noToken = () => new ApiError('unauthorized', `This window has no control token: ${HOW_TO_OPEN}.`, 401);
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...extra });

  async function send(name: RouteName, input: RouteInput | undefined, accept: string): Promise<Response> {
    if (!token) throw noToken();
    const route = ROUTES[name];
    const hasBody = input?.body !== undefined;
    let response: Response;
    try {
      response = await fetch(urlFor(name, input), {
        method: route.method,
        headers: headers(hasBody ? { accept, 'content-type': 'application/json' } : { accept }),
        body: hasBody ? JSON.stringify(input.body) : undefined,
        cache: 'no-store',
      });
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw unreachable();
    }
    if (!response.ok) throw await errorFrom(response);
    return response;
  }

  return {
    async call<K extends JsonRouteName>(name: K, input?: RouteInput): Promise<RouteData[K]> {
      const response = await send(name, input, 'application/json');
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ApiError('internal', `Airlock's answer to ${name} was not JSON`, response.status);
      }
      if (isErrorBody(body)) throw new ApiError(String(body.code), body.message, response.status);
      return (body as { data: RouteData[K] }).data;
    },

    async exportSession(sessionId: string): Promise<string> {
      const response = await send('exportSession', { params: { id: sessionId } }, 'application/x-ndjson');
      return response.text();
    },

    subscribe(onEvent: (event: ControlEvent) => void, onConnection?: (connected: boolean) => void): () => void {
      let stopped = false;
      let controller: AbortController | undefined;
      let retryTimer: ReturnType<typeof setTimeout> | undefined;
      // Every failed attempt is reported, not just the drop: the reason may change while down
      // (the gateway gone, then back with a new token), and the window re-checks it each time.
      const report = (connected: boolean) => onConnection?.(connected);

      async function connect(attempt: number): Promise<void> {
        controller = new AbortController();
        let reachedStream = false;
        try {
          const response = await fetch(ROUTES.events.path, {
            headers: headers({ accept: 'text/event-stream' }),
            cache: 'no-store',
            signal: controller.signal,
          });
          if (!response.ok || !response.body) throw await errorFrom(response);
          reachedStream = true;
          report(true);
          await readSse(response.body, ({ type, data }) => {
            let payload: unknown;
            try {
              payload = JSON.parse(data);
            } catch {
              return; // a malformed event is dropped; the next reconnect re-reads the state anyway
            }
            onEvent({ type, data: payload } as ControlEvent);
          });
        } catch {
          // A network error, an error answer, or the stream breaking: all mean reconnect.
        }
        if (stopped) return;
        report(false);
        // A stream that was up starts over quickly; repeated failures back off, up to 15 s.
        const next = reachedStream ? 0 : attempt + 1;
        const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** next);
        retryTimer = setTimeout(() => void connect(next), delay);
      }

      if (token) void connect(0);
      else onConnection?.(false);
      return () => {
        stopped = true;
        clearTimeout(retryTimer);
        controller?.abort();
      };
    },
  };
}
