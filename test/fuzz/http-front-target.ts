import fc from 'fast-check';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { anyString, bodyText } from './json-rpc-arbitraries.js';

/** One HTTP request of a fuzz case; JSON, so a case that broke something can sit in the seed corpus. */
export interface HttpStep {
  method: string;
  path: string;
  /** `valid`: the test client's token; `none`: no Authorization; anything else is sent as the header. */
  auth: string;
  /** `live`: one of the target's open sessions; `none`: no header; anything else is sent as the id. */
  session: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fuzz case: requests in order, or raw bytes on a TCP connection (not even HTTP, perhaps). */
export type HttpCase = { steps: HttpStep[] } | { raw: string };

export interface HttpReply {
  status: number;
  contentType: string;
  body: string;
  sessionId?: string;
}

const AGENT_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } });
/** A POST stream that stays open this long without a cancellation in its batch is an unanswered request. */
const STREAM_WAIT_MS = 15_000;

/** Header values node:http accepts; other bytes are the raw cases' business. */
const headerValue = fc.oneof(fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }), fc.constantFrom('', ' ', 'null', '*/*'));
const step: fc.Arbitrary<HttpStep> = fc.record({
  method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'DELETE', 'OPTIONS', 'PUT', 'PATCH', 'HEAD') }),
  path: fc.oneof(
    { weight: 12, arbitrary: fc.constant('/servers/probe/mcp') },
    { weight: 2, arbitrary: fc.constant('/mcp') },
    { weight: 1, arbitrary: fc.constantFrom('/servers/%E0/mcp', '/servers/%/mcp', '/servers/probe%2F..%2Fx/mcp', '/servers/__proto__/mcp', '/servers/constructor/mcp',
      '/servers/probe/mcp/', '/servers//mcp', '//mcp', '/mcp?x=%', '/healthz', '/control/status', '/ui/../../etc/passwd', '/servers/pro%62e/mcp', '/servers/%00/mcp') },
    { weight: 1, arbitrary: fc.webPath() },
  ),
  auth: fc.oneof({ weight: 16, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: fc.constantFrom('none', 'Bearer', 'Bearer ', 'Basic YTpi', 'bearer alk_x', 'Bearer a b') }, { weight: 1, arbitrary: headerValue }),
  session: fc.oneof({ weight: 10, arbitrary: fc.constant('live') }, { weight: 2, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: headerValue }),
  headers: fc.record({
    accept: fc.oneof({ weight: 6, arbitrary: fc.constant(AGENT_HEADERS.accept) }, { weight: 1, arbitrary: headerValue }),
    'content-type': fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-16', 'text/plain', 'application/jsonx') }, { weight: 1, arbitrary: headerValue }),
    'mcp-protocol-version': fc.oneof({ weight: 6, arbitrary: fc.constantFrom('2025-06-18', '2025-03-26', '2025-11-25', '2024-11-05') }, { weight: 1, arbitrary: headerValue }),
    'last-event-id': fc.oneof(fc.constantFrom('post1_0', 'standalone_1', '0'), headerValue),
    // Foreign hosts and origins are refused before anything else is read, so they stay rare.
    origin: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('http://localhost:6274', 'http://127.0.0.1') }, { weight: 1, arbitrary: fc.constantFrom('null', 'https://evil.example') }, { weight: 1, arbitrary: headerValue }),
    host: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('127.0.0.1', 'localhost', '[::1]') }, { weight: 1, arbitrary: fc.constantFrom('evil.example', '127.0.0.1.evil.example', '') }),
  }, { requiredKeys: ['accept', 'content-type', 'mcp-protocol-version'] }).chain((headers) => fc.boolean().map((withOrigin) => {
    // Most agents send no Origin at all.
    const { origin: _, ...withoutOrigin } = headers;
    return withOrigin ? headers : withoutOrigin;
  })),
  body: fc.option(bodyText, { nil: undefined, freq: 10 }),
});
const rawBytes = fc.oneof(
  anyString,
  fc.tuple(fc.constantFrom('POST', 'GET', 'XYZ'), fc.constantFrom('/mcp', '/servers/probe/mcp', '*', ''), anyString).map(([m, p, rest]) => `${m} ${p} HTTP/1.1\r\nHost: 127.0.0.1\r\n${rest}`),
  fc.constantFrom(
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nzz\r\n',
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n',
    'POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999999999999\r\n\r\n{}',
    'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n',
  ),
);

/** Fuzz cases for the HTTP front. */
export const httpCase: fc.Arbitrary<HttpCase> = fc.oneof(
  { weight: 9, arbitrary: fc.array(step, { minLength: 1, maxLength: 4 }).map((steps) => ({ steps })) },
  { weight: 1, arbitrary: rawBytes.map((raw) => ({ raw })) },
);

/**
 * Throws fuzz cases at a running gateway's HTTP front and checks what every request must get: an
 * answer (no reset, no 5xx), JSON where JSON is announced, and an end to every POST stream. Three
 * initialized sessions stay open (two on the probe's endpoint, one on `/mcp`), so that many messages
 * reach the pipeline rather than bounce at the door.
 */
export class HttpFrontTarget {
  readonly statuses = new Map<number, number>();
  requests = 0;
  private readonly live: string[] = [];
  /** A session on `/mcp`, every server at once: its own door, its own code. */
  private aggregate = '';

  constructor(private readonly base: string, private readonly token: string) {}

  async setup(): Promise<void> {
    for (let i = 0; i < 2; i++) this.live.push(await this.openSession());
    this.aggregate = await this.openSession('/mcp');
  }

  /** Runs one case; throws on a violated invariant. Sessions the case opened are deleted after it. */
  async run(fuzzCase: HttpCase): Promise<void> {
    if ('raw' in fuzzCase) return this.sendRaw(fuzzCase.raw);
    const opened: Array<{ id: string; path: string }> = [];
    try {
      for (const [index, s] of fuzzCase.steps.entries()) {
        const slot = index % this.live.length;
        const onAggregate = s.path === '/mcp';
        const reply = await this.send(s, onAggregate ? this.aggregate : this.live[slot]);
        if (reply.status === 404 && s.session === 'live' && /Session not found/.test(reply.body)) {
          if (onAggregate) this.aggregate = await this.openSession('/mcp');
          else if (s.path === '/servers/probe/mcp') this.live[slot] = await this.openSession();
        }
        if (reply.sessionId && !this.live.includes(reply.sessionId) && reply.sessionId !== this.aggregate) opened.push({ id: reply.sessionId, path: s.path });
      }
    } finally {
      for (const { id, path } of opened) await this.send({ method: 'DELETE', path, auth: 'valid', session: id, headers: {} }, id).catch(() => {});
    }
  }

  /** One request; resolves with the reply once its body (or SSE stream) ended. */
  send(s: HttpStep, liveSession: string | undefined): Promise<HttpReply> {
    const headers: Record<string, string> = { ...s.headers };
    if (s.auth === 'valid') headers.authorization = `Bearer ${this.token}`;
    else if (s.auth !== 'none') headers.authorization = s.auth;
    const session = s.session === 'live' ? liveSession : s.session === 'none' ? undefined : s.session;
    if (session !== undefined) headers['mcp-session-id'] = session;
    if (headers.host === undefined || headers.host === '') delete headers.host;
    const cancels = s.body?.includes('notifications/cancelled') ?? false;
    this.requests += 1;
    const { hostname, port } = new URL(this.base);
    // A connection of its own per request: a reused keep-alive socket that the gateway closed after
    // refusing an unread body would fail the next request on the client's side, not the gateway's.
    return new Promise((resolve, reject) => {
      let req: ClientRequest;
      try {
        req = request({ hostname, port, path: s.path, method: s.method, headers, agent: false }, (res) => this.read(s, res, cancels, resolve, reject));
      } catch (error) {
        // node:http refuses to send some paths and header values at all; those are the raw cases' business.
        if (/^ERR_(UNESCAPED_CHARACTERS|INVALID_CHAR|INVALID_HTTP_TOKEN|HTTP_INVALID_HEADER_VALUE)$/.test((error as NodeJS.ErrnoException).code ?? '')) return resolve({ status: -1, contentType: '', body: '' });
        throw error;
      }
      req.on('error', (error) => {
        // The gateway closes the connection on an oversized body (413, connection: close) and may do so before the upload ends.
        if ((error as NodeJS.ErrnoException).code === 'EPIPE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
          resolve({ status: 0, contentType: '', body: '' });
        } else reject(error);
      });
      req.end(s.body);
    });
  }

  private read(s: HttpStep, res: IncomingMessage, cancels: boolean, resolve: (reply: HttpReply) => void, reject: (error: Error) => void): void {
    const status = res.statusCode!;
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    const contentType = String(res.headers['content-type'] ?? '');
    const sessionId = typeof res.headers['mcp-session-id'] === 'string' ? res.headers['mcp-session-id'] : undefined;
    if (status >= 500) reject(new Error(`${s.method} ${s.path} answered ${status}`));
    // A GET stream is the session's standing channel: it is open by design, so only its head counts.
    if (s.method === 'GET' && contentType.startsWith('text/event-stream')) {
      res.destroy();
      return resolve({ status, contentType, body: '', sessionId });
    }
    let body = '';
    const timer = setTimeout(() => {
      res.destroy();
      // The spec lets a server leave a cancelled request unanswered.
      if (cancels) resolve({ status, contentType, body, sessionId });
      else reject(new Error(`${s.method} ${s.path}: the reply did not end within ${STREAM_WAIT_MS} ms\n${body.slice(0, 500)}`));
    }, STREAM_WAIT_MS);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    res.on('error', () => {});
    res.on('close', () => {
      clearTimeout(timer);
      if (contentType.startsWith('application/json') && body !== '' && s.method !== 'HEAD') {
        try {
          JSON.parse(body);
        } catch {
          return reject(new Error(`${s.method} ${s.path}: announced JSON but sent ${body.slice(0, 200)}`));
        }
      }
      resolve({ status, contentType, body, sessionId });
    });
  }

  /** Raw bytes, then our end of the connection: the gateway may refuse them or close, but never answer 5xx. */
  private sendRaw(raw: string): Promise<void> {
    const url = new URL(this.base);
    this.requests += 1;
    return new Promise((resolve, reject) => {
      let answer = '';
      const socket = connect(Number(url.port), url.hostname, () => socket.end(raw));
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', () => {});
      socket.on('close', () => {
        const status = /^HTTP\/1\.[01] (\d{3})/gm;
        for (let match = status.exec(answer); match; match = status.exec(answer)) {
          if (match[1].startsWith('5')) return reject(new Error(`raw bytes were answered ${match[1]}: ${JSON.stringify(raw.slice(0, 200))}`));
        }
        resolve();
      });
    });
  }

  private async openSession(path = '/servers/probe/mcp'): Promise<string> {
    const reply = await this.send({ method: 'POST', path, auth: 'valid', session: 'none', headers: { ...AGENT_HEADERS }, body: INITIALIZE }, undefined);
    if (!reply.sessionId) throw new Error(`could not open a session: ${reply.status} ${reply.body}`);
    const headers = { ...AGENT_HEADERS, 'mcp-protocol-version': '2025-06-18' };
    await this.send({ method: 'POST', path, auth: 'valid', session: reply.sessionId, headers, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}' }, undefined);
    return reply.sessionId;
  }
}
