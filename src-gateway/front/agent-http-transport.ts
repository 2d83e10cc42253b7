import {
  isInitializeRequest,
  JSONRPCMessageSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { replyRpcError } from './http-replies.js';
import { MemoryEventStore } from './memory-event-store.js';
import { readJsonBody } from './read-json-body.js';

/** The client's own GET stream, for server messages that belong to no request. */
const STANDALONE = 'standalone';
/** Priming events (an id with empty data) confuse clients older than this version. */
const PRIMING_SINCE = '2025-11-25';

interface SseStream {
  id: string;
  res?: ServerResponse;
  /** JSON-encoded ids of the requests this stream still owes an answer to. */
  pending: Set<string>;
}

export interface AgentHttpTransportOptions {
  sessionId: string;
  maxBodyBytes: number;
  /** Events kept for `Last-Event-ID` resumption; 0 turns resumption off. */
  resumableEvents: number;
  /** Bytes a stream may have waiting for the agent to read; beyond it the agent is disconnected. */
  maxBufferedBytes: number;
  /** A stream was cut off because the agent stopped reading it; `bytes` were left unsent. */
  onStreamCut(bytes: number): void;
  /** Messages from the agent, in the order they arrived. */
  onMessage(message: JSONRPCMessage): void;
  /** The agent ended the session with DELETE. */
  onDelete(): void;
}

/**
 * The server side of MCP's Streamable HTTP for one agent session, written straight onto node:http:
 * POST (answered as an SSE stream, or 202 for notifications and responses), the standalone GET
 * stream, DELETE, and resumption with `Last-Event-ID`. Messages pass through as they are.
 */
export class AgentHttpTransport {
  private readonly streams = new Map<string, SseStream>();
  private readonly streamOfRequest = new Map<string, SseStream>();
  private readonly events: MemoryEventStore;
  private initialized = false;
  private closed = false;
  private streamCounter = 0;
  private openRequests = 0;
  private lastActivity = Date.now();

  constructor(private readonly options: AgentHttpTransportOptions) {
    this.events = new MemoryEventStore(options.resumableEvents);
  }

  /** Handles one HTTP request addressed to this session (or creating it, for initialize). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.openRequests += 1;
    this.lastActivity = Date.now();
    res.once('close', () => {
      this.openRequests -= 1;
      this.lastActivity = Date.now();
    });
    if (req.method === 'POST') return this.handlePost(req, res);
    if (req.method === 'GET') return this.handleGet(req, res);
    if (req.method === 'DELETE') return this.handleDelete(req, res);
    replyRpcError(res, 405, -32000, 'Method Not Allowed', { allow: 'GET, POST, DELETE' });
  }

  /** True when no request or stream is open and nothing happened for `idleMs`. */
  isIdle(now: number, idleMs: number): boolean {
    return this.openRequests === 0 && now - this.lastActivity >= idleMs;
  }

  /**
   * Sends a message to the agent: an answer on the stream of its request, a message related to a
   * request on that request's stream, anything else on the standalone stream (stored for replay
   * while that stream is not connected).
   */
  send(message: JSONRPCMessage, relatedRequestId?: RequestId, serialized = JSON.stringify(message)): void {
    if (this.closed) return;
    const isAnswer = 'result' in message || 'error' in message;
    const key = isAnswer ? JSON.stringify(message.id) : relatedRequestId === undefined ? undefined : JSON.stringify(relatedRequestId);
    const stream = key === undefined ? undefined : this.streamOfRequest.get(key);
    if (stream) {
      this.write(stream, serialized);
      if (isAnswer) this.answered(stream, key!);
      return;
    }
    if (isAnswer) return; // its request's stream is gone and it was never stored: nothing can carry it
    this.write(this.standalone(), serialized);
  }

  /** Ends every open stream. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stream of this.streams.values()) stream.res?.end();
    this.streams.clear();
    this.streamOfRequest.clear();
  }

  private async handlePost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return replyRpcError(res, 406, -32000, 'Not Acceptable: the Accept header must list application/json and text/event-stream');
    }
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
      return replyRpcError(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
    }
    const body = await readJsonBody(req, this.options.maxBodyBytes);
    if (!body.ok) return replyRpcError(res, body.status, body.code, body.message, body.status === 413 ? { connection: 'close' } : {});
    const raw = Array.isArray(body.value) ? body.value : [body.value];
    const messages: JSONRPCMessage[] = [];
    for (const item of raw) {
      const parsed = JSONRPCMessageSchema.safeParse(item);
      if (!parsed.success) return replyRpcError(res, 400, -32600, 'Invalid Request: not a JSON-RPC 2.0 message');
      // Pass on what the agent sent, not the schema's reshaped copy.
      messages.push(item as JSONRPCMessage);
    }
    if (raw.length === 0) return replyRpcError(res, 400, -32600, 'Invalid Request: empty batch');

    const initialize = messages.find(isInitializeRequest);
    if (initialize) {
      if (this.initialized) return replyRpcError(res, 400, -32600, 'Invalid Request: this session is already initialized');
      if (messages.length > 1) return replyRpcError(res, 400, -32600, 'Invalid Request: initialize must be sent alone');
      this.initialized = true;
    } else {
      if (!this.initialized) return replyRpcError(res, 400, -32000, 'Bad Request: the first message of a session must be initialize');
      const versionError = checkProtocolVersion(req);
      if (versionError) return replyRpcError(res, 400, -32000, versionError);
    }

    // A cancelled request gets no answer (the spec tells servers not to send one), so its stream
    // is released here; otherwise it stayed open, and held its connection, until the session ended.
    for (const message of messages) this.releaseCancelled(message);
    const requests = messages.filter((m) => 'method' in m && 'id' in m && m.id !== undefined) as Array<{ id: RequestId }>;
    if (requests.length === 0) {
      res.writeHead(202, { 'mcp-session-id': this.options.sessionId }).end();
      for (const message of messages) this.options.onMessage(message);
      return;
    }
    const stream: SseStream = { id: `post${++this.streamCounter}`, pending: new Set() };
    for (const request of requests) {
      const key = JSON.stringify(request.id);
      stream.pending.add(key);
      this.streamOfRequest.set(key, stream);
    }
    this.streams.set(stream.id, stream);
    this.attach(stream, res);
    const version = initialize ? (initialize as unknown as { params: { protocolVersion: string } }).params.protocolVersion : protocolVersionOf(req);
    if (this.options.resumableEvents > 0 && version >= PRIMING_SINCE) {
      res.write(`id: ${this.events.store(stream.id, '')}\ndata: \n\n`);
    }
    for (const message of messages) this.options.onMessage(message);
  }

  private handleGet(req: IncomingMessage, res: ServerResponse): void {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      return replyRpcError(res, 406, -32000, 'Not Acceptable: the Accept header must list text/event-stream');
    }
    const versionError = checkProtocolVersion(req);
    if (versionError) return replyRpcError(res, 400, -32000, versionError);
    const lastEventId = req.headers['last-event-id'];
    if (typeof lastEventId === 'string') return this.resume(lastEventId, res);
    const standalone = this.standalone();
    if (standalone.res) return replyRpcError(res, 409, -32000, 'Conflict: this session already has a GET stream open');
    this.attach(standalone, res);
    // Let the client know the stream is open even before the first message.
    res.write(': stream open\n\n');
  }

  private resume(lastEventId: string, res: ServerResponse): void {
    const missed = this.events.after(lastEventId);
    if (!missed) return replyRpcError(res, 400, -32000, `Bad Request: event ${lastEventId} is no longer available; start a new request`);
    const stream = missed.streamId === STANDALONE ? this.standalone() : this.streams.get(missed.streamId);
    if (stream?.res) return replyRpcError(res, 409, -32000, 'Conflict: that stream is still connected');
    writeHead(res, this.options.sessionId);
    for (const event of missed.events) res.write(`id: ${event.id}\nevent: message\ndata: ${event.data}\n\n`);
    // A stream that still owes answers continues on this connection; a finished one ends here.
    if (stream && (stream.id === STANDALONE || stream.pending.size > 0)) this.attach(stream, res, false);
    else res.end();
  }

  private handleDelete(req: IncomingMessage, res: ServerResponse): void {
    const versionError = checkProtocolVersion(req);
    if (versionError) return replyRpcError(res, 400, -32000, versionError);
    // The session's end is recorded before the agent hears it is over.
    this.options.onDelete();
    res.writeHead(200, { 'mcp-session-id': this.options.sessionId }).end();
  }

  private standalone(): SseStream {
    let stream = this.streams.get(STANDALONE);
    if (!stream) {
      stream = { id: STANDALONE, pending: new Set() };
      this.streams.set(STANDALONE, stream);
    }
    return stream;
  }

  private attach(stream: SseStream, res: ServerResponse, withHead = true): void {
    if (withHead) writeHead(res, this.options.sessionId);
    stream.res = res;
    res.once('close', () => {
      if (stream.res === res) stream.res = undefined;
    });
  }

  private write(stream: SseStream, data: string): void {
    const id = this.options.resumableEvents > 0 ? this.events.store(stream.id, data) : undefined;
    const res = stream.res;
    if (!res) return;
    res.write(`${id === undefined ? '' : `id: ${id}\n`}event: message\ndata: ${data}\n\n`);
    // An agent that stops reading would otherwise make the gateway buffer without end. Cut it off;
    // the stream is then disconnected like any other (replayable within the event store's bounds).
    if (res.writableLength > this.options.maxBufferedBytes) {
      this.options.onStreamCut(res.writableLength);
      res.destroy();
    }
  }

  /** The agent cancelled one of its requests: its stream owes nothing for it any more. */
  private releaseCancelled(message: JSONRPCMessage): void {
    if (!('method' in message) || message.method !== 'notifications/cancelled') return;
    const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
    const key = requestId === undefined ? undefined : JSON.stringify(requestId);
    const stream = key === undefined ? undefined : this.streamOfRequest.get(key);
    if (stream) this.answered(stream, key!);
  }

  private answered(stream: SseStream, key: string): void {
    stream.pending.delete(key);
    this.streamOfRequest.delete(key);
    if (stream.pending.size > 0) return;
    // A stream that ends while connected was read in full; a disconnected one stays replayable.
    if (stream.res) {
      stream.res.end();
      this.events.forget(stream.id);
    }
    this.streams.delete(stream.id);
  }
}

function writeHead(res: ServerResponse, sessionId: string): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'mcp-session-id': sessionId,
  });
}

function protocolVersionOf(req: IncomingMessage): string {
  const header = req.headers['mcp-protocol-version'];
  // Without the header, the spec says to assume the version that introduced this transport.
  return typeof header === 'string' ? header : '2025-03-26';
}

function checkProtocolVersion(req: IncomingMessage): string | undefined {
  const version = protocolVersionOf(req);
  if (SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
  return `Bad Request: unsupported MCP-Protocol-Version "${version}" (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`;
}
