import { isInitializeRequest, isJSONRPCRequest, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerConfig } from '../config/config-schema.js';
import type { Logger } from '../logger.js';
import type { GatewayServices, Stage } from '../pipeline/pipeline-types.js';
import type { MessageLog } from '../store/message-log.js';
import { AgentAsker } from './agent-asker.js';
import { AgentHttpTransport } from './agent-http-transport.js';
import { ServerLeg } from './server-leg.js';

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
  /** Bytes an SSE stream may have unread before the agent is disconnected. */
  maxBufferedBytes: number;
  /** Called once the agent's initialize has created the session (it is then addressable). */
  onOpened(session: AgentSession): void;
  onClosed(session: AgentSession): void;
  /** The recorded session with the server started and, later, ended. */
  onLegOpened?(leg: ServerLeg): void;
  onLegClosed?(leg: ServerLeg): void;
}

/**
 * One agent session on `/servers/<name>/mcp`: the agent-facing Streamable HTTP transport and one
 * server leg (upstream connection + pipeline runner). Its id is the recorded session's id.
 */
export class AgentSession {
  private readonly transport: AgentHttpTransport;
  private readonly asker: AgentAsker;
  private readonly leg: ServerLeg;
  private closed = false;

  constructor(private readonly options: AgentSessionOptions) {
    this.asker = new AgentAsker((message, related) => this.transport.send(message, related));
    this.leg = new ServerLeg({
      ...options,
      agent: this.asker,
      toAgent: (message, related, serialized) => this.transport.send(message, related, serialized),
      onLost: (reason) => void this.close(reason),
      onOpened: options.onLegOpened,
      onClosed: options.onLegClosed,
    });
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

  get id(): string {
    return this.leg.id;
  }

  /** The endpoint this session belongs to: its server's name. */
  get server(): string {
    return this.options.server;
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

  /** Ends the session: records why, closes the upstream connection and the agent's streams. */
  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const legClosed = this.leg.close(reason);
    this.options.onClosed(this);
    this.asker.close();
    this.transport.close();
    await legClosed;
  }

  private onAgentMessage(message: JSONRPCMessage): void {
    if (isJSONRPCRequest(message) && isInitializeRequest(message)) {
      this.asker.canElicit = message.params.capabilities.elicitation !== undefined;
      this.options.onOpened(this);
    }
    if (this.asker.takeAnswer(message)) return;
    void this.leg.fromAgent(message);
  }
}
