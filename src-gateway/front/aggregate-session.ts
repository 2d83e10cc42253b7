import {
  ErrorCode,
  isInitializeRequest,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  type InitializeRequest,
  type JSONRPCMessage,
  type JSONRPCNotification,
  type JSONRPCRequest,
  type RequestId,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connection } from '../connections/connection-registry.js';
import { TokenVault } from '../masking/token-vault.js';
import { PACKAGE_VERSION } from '../package-root.js';
import { errorResponse } from '../pipeline/rpc-errors.js';
import { AgentAsker } from './agent-asker.js';
import { AgentHttpTransport } from './agent-http-transport.js';
import type { AgentSessionOptions } from './agent-session.js';
import { NAME_SEPARATOR, routeName, routeUri, type MergedList, type Route } from './aggregate-names.js';
import { CATALOGS, isCatalogMethod, listAll, listChangedOf, templateRoutes, URI_METHODS, type CatalogMethod, type Listed } from './aggregate-catalogs.js';
import { ServerLeg } from './server-leg.js';
import { newSessionId } from './session-id.js';

export interface AggregateSessionOptions extends Omit<AgentSessionOptions, 'server' | 'serverConfig' | 'onOpened' | 'onClosed'> {
  /** The servers this session reaches: those connected when it starts. */
  connections: readonly Connection[];
  onOpened(session: AggregateSession): void;
  onClosed(session: AggregateSession): void;
}

/** Ids of the requests Airlock itself sends a server on this endpoint (initialize, list pages). */
const OWN_ID = 'airlock-aggregate-';
/** Ids given to a server's requests to the agent, so two servers' ids cannot collide. */
const SERVER_REQUEST_ID = 'airlock-server-';
/** A server that does not answer one of Airlock's own requests in this time is left out of it. */
const OWN_REQUEST_MS = 30_000;

/**
 * One agent session on `/mcp`: Airlock answers initialize itself and gives every connected server
 * its own leg, a recorded session with its own pipeline runner, so policy, masking and recording
 * apply as on `/servers/<name>/mcp`. Names are `<server>__<name>`; colliding names are refused.
 */
export class AggregateSession {
  readonly id = newSessionId();
  /** The endpoint this session belongs to: none, it spans every server. */
  readonly server = '';
  private readonly transport: AgentHttpTransport;
  private readonly asker: AgentAsker;
  /** One set of masking tokens for every server: `<email_1>` is one person across the agent's whole view. */
  private readonly maskTokens = new TokenVault();
  private readonly legs = new Map<string, ServerLeg>();
  private readonly capabilities = new Map<ServerLeg, ServerCapabilities>();
  private readonly ownRequests = new Map<string, { leg: ServerLeg; resolve(answer?: JSONRPCMessage): void }>();
  /** The agent's calls in flight, by JSON-encoded id, and the leg that has each. */
  private readonly agentCalls = new Map<string, ServerLeg>();
  private readonly serverRequests = new Map<string, { leg: ServerLeg; id: RequestId }>();
  private readonly catalogs = new Map<CatalogMethod, MergedList<Listed>>();
  /** list_changed notifications sent that the agent has not yet acted on by listing again. */
  private readonly changedSent = new Set<string>();
  private counter = 0;
  private ready?: Promise<unknown>;
  private closed = false;

  constructor(private readonly options: AggregateSessionOptions) {
    this.asker = new AgentAsker((message, related) => this.transport.send(message, related));
    this.transport = new AgentHttpTransport({
      sessionId: this.id,
      maxBodyBytes: options.maxBodyBytes,
      resumableEvents: options.resumableEvents,
      maxBufferedBytes: options.maxBufferedBytes,
      onStreamCut: (bytes) => options.logger.warn(`session ${this.id.slice(0, 8)}: the agent stopped reading its stream; disconnected it with ${bytes} bytes unsent (limits.maxBufferedStreamBytes)`),
      onMessage: (message) => this.onAgentMessage(message),
      onDelete: () => void this.close('closed by agent'),
    });
  }

  get client(): string {
    return this.options.client;
  }

  /** Serves one HTTP request of this session; the first one carries initialize. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.transport.handle(req, res);
  }

  isIdle(now: number, idleMs: number): boolean {
    return this.transport.isIdle(now, idleMs);
  }

  /** Ends one server's leg (e.g. its connection was removed); the others go on. */
  async dropServer(server: string, reason: string): Promise<void> {
    const leg = this.legs.get(server);
    if (leg) await this.dropLeg(leg, reason);
  }

  /** Ends the session and every leg, recording why. */
  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const legs = [...this.legs.values()];
    this.legs.clear();
    this.options.onClosed(this);
    this.asker.close();
    for (const own of this.ownRequests.values()) own.resolve(undefined);
    this.ownRequests.clear();
    this.transport.close();
    await Promise.all(legs.map((leg) => leg.close(reason)));
  }

  private onAgentMessage(message: JSONRPCMessage): void {
    if (this.asker.takeAnswer(message)) return;
    if ('method' in message && 'id' in message) {
      this.onAgentRequest(message).catch((error) => {
        this.options.logger.error(`aggregate session ${this.id.slice(0, 8)}: ${message.method} failed`, error);
        this.fail(message.id, ErrorCode.InternalError, 'Internal error in Airlock; see the gateway log');
      });
    } else if ('method' in message) {
      this.onAgentNotification(message);
    } else if ('id' in message && message.id !== undefined) {
      // The agent's answer to a server's request: back to that server, under the server's own id.
      const asked = typeof message.id === 'string' ? this.serverRequests.get(message.id) : undefined;
      if (!asked) return;
      this.serverRequests.delete(message.id as string);
      void asked.leg.fromAgent({ ...message, id: asked.id });
    }
  }

  private async onAgentRequest(request: JSONRPCRequest): Promise<void> {
    if (isInitializeRequest(request)) return this.initialize(request);
    if (typeof request.id === 'string' && request.id.startsWith(OWN_ID)) {
      return this.fail(request.id, ErrorCode.InvalidRequest, `Request ids starting with "${OWN_ID}" are Airlock's own on this endpoint; use another id.`);
    }
    await this.ready;
    const method = request.method;
    if (method === 'ping') return this.answer(request.id, {});
    if (isCatalogMethod(method)) {
      this.changedSent.delete(listChangedOf(method));
      return this.answer(request.id, { [CATALOGS[method].key]: (await this.catalog(method)).items });
    }
    const params = (request.params ?? {}) as { name?: unknown; uri?: unknown };
    let route: Route | undefined;
    if (method === 'tools/call' || method === 'prompts/get') {
      // An agent that calls without listing first gets the lists fetched for it: names are routed by them.
      const listMethod = method === 'tools/call' ? 'tools/list' : 'prompts/list';
      const list = this.catalogs.get(listMethod) ?? await this.catalog(listMethod);
      route = typeof params.name !== 'string' ? { ok: false, message: 'params.name must be a string' } : routeName(params.name, [...this.legs.keys()], list);
    } else if (URI_METHODS.has(method)) {
      const resources = this.catalogs.get('resources/list') ?? await this.catalog('resources/list');
      const templates = this.catalogs.get('resources/templates/list') ?? await this.catalog('resources/templates/list');
      route = typeof params.uri !== 'string' ? { ok: false, message: 'params.uri must be a string' } : routeUri(params.uri, resources, templateRoutes(templates));
    }
    if (!route) {
      return this.fail(request.id, ErrorCode.MethodNotFound, `"${method}" is not available on /mcp (it offers tools, prompts and resources of every server, named <server>${NAME_SEPARATOR}<name>); use /servers/<name>/mcp for the rest.`);
    }
    const leg = route.ok ? this.legs.get(route.server) : undefined;
    if (!route.ok || !leg) return this.fail(request.id, ErrorCode.InvalidParams, route.ok ? `The server "${route.server}" is no longer connected; start a new session to reach it.` : route.message);
    this.agentCalls.set(JSON.stringify(request.id), leg);
    // The server's stages and the server itself see the server's own name.
    const forwarded = 'name' in params ? { ...request, params: { ...params, name: route.name } } : request;
    await leg.fromAgent(forwarded);
  }

  /** Answered by Airlock; each server gets the agent's own initialize through its leg. */
  private async initialize(request: InitializeRequest & { id: RequestId }): Promise<void> {
    this.asker.canElicit = request.params.capabilities.elicitation !== undefined;
    this.options.onOpened(this);
    this.ready = Promise.all(this.options.connections.map((connection) => this.startLeg(connection, request.params)));
    await this.ready;
    const requested = request.params.protocolVersion;
    this.answer(request.id, {
      protocolVersion: SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION,
      capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } },
      serverInfo: { name: 'airlock', title: 'Airlock', version: PACKAGE_VERSION },
      instructions: `Tools, prompts and resources of the servers ${[...this.legs.keys()].map((name) => `"${name}"`).join(', ') || '(none connected)'} ` +
        `through Airlock, named <server>${NAME_SEPARATOR}<name>.`,
    });
  }

  private async startLeg({ name, server }: Connection, params: InitializeRequest['params']): Promise<void> {
    const { client, log, stages, services, logger } = this.options;
    const leg: ServerLeg = new ServerLeg({
      client, log, stages, services, logger,
      server: name,
      serverConfig: server,
      agent: this.asker,
      tokens: this.maskTokens,
      toAgent: (message, related, serialized) => this.fromLeg(leg, message, related, serialized),
      onLost: (reason) => void this.dropLeg(leg, reason),
      onOpened: this.options.onLegOpened,
      onClosed: this.options.onLegClosed,
    });
    this.legs.set(name, leg);
    const answer = await this.ask(leg, 'initialize', params);
    if (!answer || !('result' in answer)) {
      const why = answer && 'error' in answer ? answer.error.message : 'no answer';
      this.options.logger.warn(`aggregate session ${this.id.slice(0, 8)}: server "${name}" left out: ${why}`);
      return this.dropLeg(leg, `server failed to start: ${why}`);
    }
    this.capabilities.set(leg, (answer.result as { capabilities?: ServerCapabilities }).capabilities ?? {});
    await leg.fromAgent({ jsonrpc: '2.0', method: 'notifications/initialized' });
  }

  /** Every server's full list (all pages, through each leg's pipeline), merged and prefixed. */
  private async catalog(method: CatalogMethod): Promise<MergedList<Listed>> {
    const { key, capability, merge } = CATALOGS[method];
    const legs = [...this.legs.values()].filter((leg) => this.capabilities.get(leg)?.[capability] !== undefined);
    const pages = await Promise.all(legs.map(async (leg) => ({ server: leg.server, items: await listAll((params) => this.ask(leg, method, params), key) })));
    const merged = merge(pages);
    this.catalogs.set(method, merged);
    return merged;
  }

  /** Sends a request of Airlock's own through a leg's pipeline; undefined if the leg went away or timed out. */
  private ask(leg: ServerLeg, method: string, params: unknown): Promise<JSONRPCMessage | undefined> {
    const id = `${OWN_ID}${++this.counter}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), OWN_REQUEST_MS);
      timer.unref();
      const done = (answer?: JSONRPCMessage) => {
        clearTimeout(timer);
        this.ownRequests.delete(id);
        resolve(answer);
      };
      this.ownRequests.set(id, { leg, resolve: done });
      void leg.fromAgent({ jsonrpc: '2.0', id, method, params: params as Record<string, unknown> });
    });
  }

  /** What a leg's pipeline lets through towards the agent. */
  private fromLeg(leg: ServerLeg, message: JSONRPCMessage, related?: RequestId, serialized?: string): void {
    if (!('method' in message)) {
      // The agent may not use these ids, so an answer under one is Airlock's (late ones are dropped).
      if (typeof message.id === 'string' && message.id.startsWith(OWN_ID)) return this.ownRequests.get(message.id)?.resolve(message);
      this.agentCalls.delete(JSON.stringify(message.id));
      return this.transport.send(message, related, serialized);
    }
    if ('id' in message) {
      const id = `${SERVER_REQUEST_ID}${++this.counter}`;
      this.serverRequests.set(id, { leg, id: message.id });
      return this.transport.send({ ...message, id }, related);
    }
    if (message.method === 'notifications/cancelled') {
      const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
      const mapped = [...this.serverRequests].find(([, asked]) => asked.leg === leg && asked.id === requestId);
      if (!mapped) return;
      this.serverRequests.delete(mapped[0]);
      return this.transport.send({ ...message, params: { ...message.params, requestId: mapped[0] } }, related);
    }
    if (message.method.endsWith('/list_changed')) return this.listChanged(message.method, related);
    this.transport.send(message, related, serialized);
  }

  /**
   * Passed on once until the agent lists again. Names keep routing as the agent's last list said
   * until it lists again; resources are listed afresh on the next read.
   */
  private listChanged(method: string, related?: RequestId): void {
    if (method === listChangedOf('resources/list')) {
      this.catalogs.delete('resources/list');
      this.catalogs.delete('resources/templates/list');
    }
    if (this.changedSent.has(method)) return;
    this.changedSent.add(method);
    this.transport.send({ jsonrpc: '2.0', method }, related);
  }

  private onAgentNotification(message: JSONRPCNotification): void {
    if (message.method === 'notifications/initialized') return; // each leg had its own
    if (message.method === 'notifications/cancelled') {
      const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
      const key = JSON.stringify(requestId);
      const leg = this.agentCalls.get(key);
      // The server will not answer a cancelled call, so nothing else would ever remove its entry.
      this.agentCalls.delete(key);
      void leg?.fromAgent(message);
      return;
    }
    for (const leg of this.legs.values()) void leg.fromAgent(message);
  }

  private async dropLeg(leg: ServerLeg, reason: string): Promise<void> {
    if (this.legs.get(leg.server) !== leg) return;
    this.legs.delete(leg.server);
    for (const own of [...this.ownRequests.values()]) if (own.leg === leg) own.resolve(undefined);
    for (const [id, asked] of [...this.serverRequests]) if (asked.leg === leg) this.serverRequests.delete(id);
    await leg.close(reason);
    // Its tools, prompts and resources are gone: the agent should list again.
    if (this.capabilities.delete(leg)) for (const method of CATALOG_METHODS) this.listChanged(listChangedOf(method));
  }

  private answer(id: RequestId, result: Record<string, unknown>): void {
    this.transport.send({ jsonrpc: '2.0', id, result });
  }

  private fail(id: RequestId, code: number, message: string): void {
    this.transport.send(errorResponse(id, code, message));
  }
}

const CATALOG_METHODS = Object.keys(CATALOGS) as CatalogMethod[];
