import type { CONTROL_ROUTES, ControlEvent, RouteData, RouteInput } from '../src-gateway/control/contract.js';
import type { GatewayEndpoint } from './gateway-probe.js';
import type { IpcResult } from './ipc/contract.js';
import { SseParser } from './sse-lines.js';

/** The routes main itself calls (tray, notifications); the window's calls go through `request`. */
type MainRoute = 'health' | 'listApprovals' | 'decideApproval' | 'pauseProtection' | 'resumeProtection' | 'listAgentApps';

/** Typed against the contract (imported for its type only): a path that differs fails to compile. */
const ROUTES: { [K in MainRoute]: Pick<(typeof CONTROL_ROUTES)[K], 'method' | 'path'> } = {
  health: { method: 'GET', path: '/control/health' },
  listApprovals: { method: 'GET', path: '/control/approvals' },
  decideApproval: { method: 'POST', path: '/control/approvals/:id/decision' },
  pauseProtection: { method: 'POST', path: '/control/protection/pause' },
  resumeProtection: { method: 'DELETE', path: '/control/protection/pause' },
  listAgentApps: { method: 'GET', path: '/control/agent-apps' },
};
const EVENTS_PATH: (typeof CONTROL_ROUTES)['events']['path'] = '/control/events';
const EXPORT_PATH: (typeof CONTROL_ROUTES)['exportSession']['path'] = '/control/sessions/:id/export';

export interface ControlConnectionOptions {
  fetch?: typeof fetch;
  /** Reconnect delays of the event feed: the first, doubling up to the max. */
  reconnectFirstMs?: number;
  reconnectMaxMs?: number;
  requestTimeoutMs?: number;
  log?: (message: string) => void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const unavailable = (): IpcResult<never> => ({ ok: false, code: 'unavailable', message: 'The Airlock gateway is not running.', status: 503 });

/**
 * Main's client of the gateway's control API. It holds the current endpoint (url and token, from the
 * supervisor), forwards requests with the token, and keeps one event feed open, re-subscribing with
 * backoff when it drops and at once when the gateway is replaced, fanning events out to listeners
 * (windows, the approval notifier, the tray). Nothing here throws to callers: answers are `IpcResult`s.
 */
export class ControlConnection {
  private endpoint: GatewayEndpoint | undefined;
  private readonly eventListeners = new Set<(event: ControlEvent) => void>();
  private readonly connectionListeners = new Set<(connected: boolean) => void>();
  private connected = false;
  private closed = false;
  private controller: AbortController | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ControlConnectionOptions = {}) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The gateway to talk to, or undefined while none is running. A new endpoint drops the old feed. */
  setEndpoint(endpoint: GatewayEndpoint | undefined): void {
    if (endpoint?.url === this.endpoint?.url && endpoint?.token === this.endpoint?.token) return;
    this.endpoint = endpoint && { url: endpoint.url, token: endpoint.token };
    this.controller?.abort();
    this.wake?.();
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Starts the event feed; it runs until `close`. */
  start(): void {
    this.loop ??= this.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.controller?.abort();
    this.wake?.();
    await this.loop;
  }

  /** Calls `listener` with every control event; returns the unsubscribe. */
  onEvent(listener: (event: ControlEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Calls `listener` each time the feed goes up or down (up again after a gateway restart). */
  onConnection(listener: (connected: boolean) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /** One JSON route, by method and path (already validated by the caller); query values as given. */
  async request<T = unknown>(method: Method, path: string, input: { query?: Record<string, string | number | undefined>; body?: unknown } = {}): Promise<IpcResult<T>> {
    const response = await this.send(method, path, input, 'application/json');
    if (!response.ok) return response;
    const { status } = response.data;
    try {
      const body = (await response.data.json()) as { ok?: unknown; data?: unknown; code?: unknown; message?: unknown };
      if (body.ok === true) return { ok: true, data: body.data as T };
      if (body.ok === false) return { ok: false, code: String(body.code), message: String(body.message), status };
    } catch {
      // Not JSON: reported below.
    }
    return { ok: false, code: 'internal', message: `Airlock answered HTTP ${status} with something other than JSON`, status };
  }

  /** A route main calls by name, with `:params` filled in. */
  call<K extends MainRoute>(route: K, input: RouteInput = {}): Promise<IpcResult<RouteData[K]>> {
    const { method, path } = ROUTES[route];
    return this.request<RouteData[K]>(method, fillParams(path, input.params), input);
  }

  /** A session's recorded messages as JSONL. */
  async exportSession(sessionId: string): Promise<IpcResult<string>> {
    const response = await this.send('GET', fillParams(EXPORT_PATH, { id: sessionId }), {}, 'application/x-ndjson');
    if (!response.ok) return response;
    const text = await response.data.text();
    if (response.data.ok) return { ok: true, data: text };
    try {
      const body = JSON.parse(text) as { code?: unknown; message?: unknown };
      return { ok: false, code: String(body.code), message: String(body.message), status: response.data.status };
    } catch {
      return { ok: false, code: 'internal', message: `Airlock answered HTTP ${response.data.status}`, status: response.data.status };
    }
  }

  private async send(method: Method, path: string, input: { query?: Record<string, string | number | undefined>; body?: unknown }, accept: string): Promise<IpcResult<Response>> {
    const endpoint = this.endpoint;
    if (!endpoint) return unavailable();
    const url = new URL(path, endpoint.url);
    for (const [key, value] of Object.entries(input.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const hasBody = input.body !== undefined;
    try {
      const response = await this.fetch(url, {
        method,
        headers: { authorization: `Bearer ${endpoint.token}`, accept, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
        body: hasBody ? JSON.stringify(input.body) : undefined,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
      return { ok: true, data: response };
    } catch {
      return unavailable();
    }
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      const endpoint = this.endpoint;
      if (!endpoint) {
        await this.sleep(undefined);
        continue;
      }
      const reached = await this.stream(endpoint);
      this.setConnected(false);
      if (this.closed) break;
      // The gateway was replaced: the new one is up, connect now.
      if (endpoint !== this.endpoint) {
        attempt = 0;
        continue;
      }
      // A feed that was up starts over quickly; repeated failures back off.
      attempt = reached ? 0 : attempt + 1;
      const first = this.options.reconnectFirstMs ?? 500;
      await this.sleep(Math.min(this.options.reconnectMaxMs ?? 15_000, first * 2 ** attempt));
    }
  }

  /** Reads the event feed of `endpoint` until it ends; true when it was up at all. */
  private async stream(endpoint: GatewayEndpoint): Promise<boolean> {
    const controller = new AbortController();
    this.controller = controller;
    let reached = false;
    try {
      const response = await this.fetch(new URL(EVENTS_PATH, endpoint.url), {
        headers: { authorization: `Bearer ${endpoint.token}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        this.options.log?.(`the control event feed answered HTTP ${response.status}`);
        await response.body?.cancel().catch(() => {});
        return false;
      }
      reached = true;
      this.setConnected(true);
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const message of parser.push(decoder.decode(value, { stream: true }))) this.emit(message.type, message.data);
      }
    } catch {
      // Aborted, the gateway gone, or the stream broken: all mean reconnect.
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
    return reached;
  }

  private emit(type: string, data: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    const event = { type, data: payload } as ControlEvent;
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (error) {
        this.options.log?.(`a control event listener failed: ${(error as Error).message}`);
      }
    }
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const listener of this.connectionListeners) listener(connected);
  }

  /** Waits `ms` (forever when undefined) or until `setEndpoint`/`close` wakes the loop. */
  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }
}

function fillParams(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([a-z]+)/g, (_match, key: string) => encodeURIComponent(params[key] ?? ''));
}
