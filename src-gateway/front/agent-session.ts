import {
  isInitializeRequest,
  isJSONRPCRequest,
  type ElicitRequest,
  type ElicitResult,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerConfig } from '../config/config-schema.js';
import { AgentHttpTransport } from './agent-http-transport.js';
import type { Logger } from '../logger.js';
import type { AgentChannel, GatewayServices, Stage } from '../pipeline/pipeline-types.js';
import { PipelineRunner } from '../pipeline/runner.js';
import type { MessageLog } from '../store/message-log.js';
import { openUpstream, type Upstream } from '../upstream/open-upstream.js';

export interface AgentSessionOptions {
  server: string;
  serverConfig: ServerConfig;
  client: string;
  log: MessageLog;
  stages: readonly Stage[];
  services: GatewayServices;
  logger: Logger;
  maxBodyBytes: number;
  resumableEvents: number;
  /** Called once the agent's initialize has created the session (it is then addressable). */
  onOpened(session: AgentSession): void;
  onClosed(session: AgentSession): void;
}

/**
 * One agent session: the agent-facing Streamable HTTP transport, its own upstream connection
 * (a fresh server process for stdio servers) and the pipeline runner between them.
 */
export class AgentSession {
  readonly id = randomUUID();
  private readonly transport: AgentHttpTransport;
  private readonly runner: PipelineRunner;
  private upstream?: Upstream;
  private upstreamReady?: Promise<void>;
  private initializeId?: RequestId;
  private closed = false;
  /** What stages may ask of the agent; `canElicit` is set from the agent's initialize. */
  private readonly agent: AgentChannel;
  /** Requests Airlock itself sent the agent (elicitation), by id, awaiting the agent's answer. */
  private readonly ownRequests = new Map<string, { resolve(result: ElicitResult): void; reject(error: Error): void }>();
  private ownRequestCounter = 0;

  constructor(private readonly options: AgentSessionOptions) {
    const { logger } = options;
    this.transport = new AgentHttpTransport({
      sessionId: this.id,
      maxBodyBytes: options.maxBodyBytes,
      resumableEvents: options.resumableEvents,
      onMessage: (message) => this.onAgentMessage(message),
      onDelete: () => void this.close('closed by agent'),
    });
    this.agent = {
      canElicit: false,
      elicit: (params, related, signal) => this.elicit(params, related, signal),
      notify: (message, related) => this.transport.send(message, related),
    };
    this.runner = new PipelineRunner({
      session: { id: this.id, server: options.server, client: options.client, groups: [] },
      log: options.log,
      stages: options.stages,
      services: options.services,
      agent: this.agent,
      ports: {
        toServer: (message) => this.sendUpstream(message),
        toAgent: async (message, related, serialized) => this.transport.send(message, related, serialized),
      },
      onInternalError: (what, error) => logger.error(`session ${this.id.slice(0, 8)} (${options.server}): ${what}`, error),
    });
  }

  /** Serves one HTTP request of this session; the first one carries initialize. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.transport.handle(req, res);
  }

  isIdle(now: number, idleMs: number): boolean {
    return this.transport.isIdle(now, idleMs);
  }

  get server(): string {
    return this.options.server;
  }

  get client(): string {
    return this.options.client;
  }

  /** Ends the session: records why, closes the upstream connection and the agent's streams. */
  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.options.log.endSession(this.id, reason);
    } catch (error) {
      this.options.logger.error(`session ${this.id.slice(0, 8)}: could not record its end`, error);
    }
    this.options.onClosed(this);
    this.runner.endSession();
    for (const pending of this.ownRequests.values()) pending.reject(new Error('the session ended'));
    this.ownRequests.clear();
    this.transport.close();
    await this.upstream?.close().catch(() => {});
  }

  private onAgentMessage(message: JSONRPCMessage): void {
    if (isJSONRPCRequest(message) && isInitializeRequest(message)) {
      this.startSession();
      this.initializeId = message.id;
      this.agent.canElicit = message.params.capabilities.elicitation !== undefined;
      this.startUpstream();
      this.tryDescribe({ clientInfo: message.params.clientInfo });
    }
    if (this.answersOwnRequest(message)) return;
    void this.runner.fromAgent(message);
  }

  /**
   * Asks the agent's user through MCP elicitation, on the stream of the call being approved. The
   * request is Airlock's own: its id cannot collide with the server's, and its answer stays here.
   */
  private elicit(params: ElicitRequest['params'], related: RequestId, signal: AbortSignal): Promise<ElicitResult> {
    if (!this.agent.canElicit) return Promise.reject(new Error('the agent cannot elicit'));
    const id = `airlock-elicit-${++this.ownRequestCounter}`;
    return new Promise<ElicitResult>((resolve, reject) => {
      this.ownRequests.set(id, { resolve, reject });
      signal.addEventListener('abort', () => {
        if (!this.ownRequests.delete(id)) return;
        this.transport.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'answered elsewhere' } }, related);
        reject(new Error('withdrawn'));
      }, { once: true });
      this.transport.send({ jsonrpc: '2.0', id, method: 'elicitation/create', params }, related);
    });
  }

  private answersOwnRequest(message: JSONRPCMessage): boolean {
    if (!('id' in message) || typeof message.id !== 'string' || 'method' in message) return false;
    const pending = this.ownRequests.get(message.id);
    if (!pending) return false;
    this.ownRequests.delete(message.id);
    if ('result' in message) pending.resolve(message.result as ElicitResult);
    else pending.reject(new Error('error' in message ? message.error.message : 'no answer'));
    return true;
  }

  /** Recorded before initialize itself, so every message has its session. */
  private startSession(): void {
    const { log, server, client } = this.options;
    try {
      log.startSession({ id: this.id, server, client, startedAt: Date.now() });
    } catch (error) {
      this.options.logger.error(`session ${this.id.slice(0, 8)}: could not record its start`, error);
    }
    this.options.onOpened(this);
  }

  private startUpstream(): void {
    const { server, serverConfig, logger } = this.options;
    try {
      this.upstream = openUpstream(serverConfig, this.options.services.secrets, (line) => logger.info(`[${server}] ${line}`));
    } catch (error) {
      this.upstreamReady = Promise.reject(error);
      this.upstreamReady.catch(() => {});
      this.closeSoon(`server failed to start: ${(error as Error).message}`);
      return;
    }
    const { transport } = this.upstream;
    transport.onmessage = (message) => this.onServerMessage(message);
    transport.onerror = (error) => logger.debug(`[${server}] upstream: ${error.message}`);
    transport.onclose = () => void this.onUpstreamClosed();
    this.upstreamReady = transport.start();
    this.upstreamReady.catch((error) => {
      logger.error(`server "${server}" failed to start`, error);
      this.closeSoon(`server failed to start: ${(error as Error).message}`);
    });
  }

  private onServerMessage(message: JSONRPCMessage): void {
    if (this.initializeId !== undefined && 'result' in message && message.id === this.initializeId) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') {
        this.upstream?.setProtocolVersion(version);
        this.tryDescribe({ protocolVersion: version });
      }
    }
    void this.runner.fromServer(message);
  }

  private async onUpstreamClosed(): Promise<void> {
    if (this.closed) return;
    const message = `The server "${this.options.server}" exited. Airlock starts it again for a new session; reconnect to continue.`;
    this.options.logger.warn(`server "${this.options.server}" exited (session ${this.id.slice(0, 8)})`);
    await this.runner.failOpenRequests(message);
    await this.close('server exited');
  }

  private async sendUpstream(message: JSONRPCMessage): Promise<void> {
    if (!this.upstreamReady) throw new Error('the session was not initialized');
    await this.upstreamReady;
    await this.upstream!.transport.send(message);
  }

  /** Lets the error answer reach the agent before the session's streams are closed. */
  private closeSoon(reason: string): void {
    setTimeout(() => void this.close(reason), 100).unref();
  }

  private tryDescribe(info: { clientInfo?: unknown; protocolVersion?: string }): void {
    try {
      this.options.log.describeSession(this.id, info);
    } catch (error) {
      this.options.logger.error(`session ${this.id.slice(0, 8)}: could not record its details`, error);
    }
  }
}
