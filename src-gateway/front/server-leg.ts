import { isInitializeRequest, isJSONRPCRequest, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../config/config-schema.js';
import type { Logger } from '../logger.js';
import type { AgentChannel, GatewayServices, SignedIn, Stage } from '../pipeline/pipeline-types.js';
import { PipelineRunner } from '../pipeline/runner.js';
import type { TokenVault } from '../masking/token-vault.js';
import type { MessageLog } from '../store/message-log.js';
import { openUpstream, type Upstream } from '../upstream/open-upstream.js';
import { isLivenessAnswer, isStreamBreak, UpstreamLiveness } from '../upstream/upstream-liveness.js';
import { isStdioServer } from '../config/config-schema.js';
import { errorResponse, GatewayErrorCode } from '../pipeline/rpc-errors.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';
import { newSessionId } from './session-id.js';

export interface ServerLegOptions {
  server: string;
  serverConfig: ServerConfig;
  client: string;
  log: MessageLog;
  stages: readonly Stage[];
  services: GatewayServices;
  logger: Logger;
  /** What stages may ask of the agent. */
  agent: AgentChannel;
  /** Masking tokens shared across the legs of one agent session. */
  tokens?: TokenVault;
  /** Where the pipeline delivers what the server (or Airlock on its behalf) says to the agent. */
  toAgent(message: JSONRPCMessage, relatedRequestId?: RequestId, serialized?: string): void | Promise<void>;
  /** The server failed to start or exited; the calls waiting on it have been answered. */
  onLost(reason: string): void;
  /** The leg's session was recorded (on initialize) and, later, ended. */
  onOpened?(leg: ServerLeg): void;
  onClosed?(leg: ServerLeg): void;
}

/**
 * One recorded session with one server: its upstream connection (a fresh process for stdio
 * servers) and the pipeline runner in front of it. Where the agent's side lives is the owner's
 * business: one agent transport (`AgentSession`) or Airlock's aggregate endpoint.
 */
export class ServerLeg {
  readonly id = newSessionId();
  private readonly runner: PipelineRunner;
  private upstream?: Upstream;
  private upstreamReady?: Promise<void>;
  /** For HTTP servers: is the server still there once a response stream broke? */
  private liveness?: UpstreamLiveness;
  private initializeId?: RequestId;
  private opened = false;
  private closed = false;
  private readonly signedIn: SignedIn | null;

  constructor(private readonly options: ServerLegOptions) {
    // The sign-in at the session's start stays its identity: signing out or in later starts no
    // new rights for a session already running, and its record says who it ran as.
    const signedIn = options.services.signedIn();
    this.signedIn = signedIn;
    this.runner = new PipelineRunner({
      session: { id: this.id, server: options.server, client: options.client, user: signedIn?.user ?? null, groups: signedIn?.groups ?? [] },
      log: options.log,
      stages: options.stages,
      services: options.services,
      agent: options.agent,
      tokens: options.tokens,
      ports: {
        toServer: (message) => this.sendUpstream(message),
        toAgent: async (message, related, serialized) => options.toAgent(message, related, serialized),
      },
      onInternalError: (what, error) => options.logger.error(`session ${this.id.slice(0, 8)} (${options.server}): ${what}`, error),
    });
  }

  get server(): string {
    return this.options.server;
  }

  get client(): string {
    return this.options.client;
  }

  /** A message from the agent; initialize records the session and opens the upstream first. */
  fromAgent(message: JSONRPCMessage): Promise<void> {
    if (!this.opened && isJSONRPCRequest(message) && isInitializeRequest(message)) {
      this.opened = true;
      this.initializeId = message.id;
      this.recordStart();
      this.startUpstream();
      this.tryDescribe({ clientInfo: message.params.clientInfo });
    }
    // Whatever fails inside is logged here: a rejection left unhandled would end the whole gateway.
    return this.runner.fromAgent(message).catch((error) => this.options.logger.error(`session ${this.id.slice(0, 8)} (${this.options.server}): a message from the agent failed`, error));
  }

  /** Ends the leg: records why, withdraws held calls, closes the upstream connection. */
  async close(reason: string): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.liveness?.stop();
    if (this.opened) {
      try {
        this.options.log.endSession(this.id, reason);
      } catch (error) {
        this.options.logger.error(`session ${this.id.slice(0, 8)}: could not record its end`, error);
      }
      this.options.onClosed?.(this);
    }
    this.runner.endSession();
    await this.upstream?.close().catch(() => {});
  }

  /** Recorded before initialize itself, so every message has its session. */
  private recordStart(): void {
    const { log, server, client } = this.options;
    try {
      log.startSession({ id: this.id, server, client, startedAt: Date.now(), user: this.signedIn?.user, groups: this.signedIn?.groups });
    } catch (error) {
      this.options.logger.error(`session ${this.id.slice(0, 8)}: could not record its start`, error);
    }
    this.options.onOpened?.(this);
  }

  /**
   * Opens the upstream in the background: its secrets are read off the event loop (a keychain may
   * wait for a person to unlock it), then the transport starts. `upstreamReady` covers both, so
   * the agent's first message waits for them and fails with their error.
   */
  private startUpstream(): void {
    const { server, serverConfig, logger } = this.options;
    this.upstreamReady = openUpstream(serverConfig, this.options.services.secrets, (line) => logger.info(`[${server}] ${line}`)).then(
      (upstream) => this.attachUpstream(upstream),
      (error: unknown) => {
        this.lostSoon(`server failed to start: ${(error as Error).message}`);
        throw error;
      },
    );
    this.upstreamReady.catch(() => {});
  }

  private attachUpstream(upstream: Upstream): Promise<void> {
    const { server, serverConfig, logger } = this.options;
    // Closed while its secrets were read: nothing was started, so there is nothing to stop.
    if (this.closed) return Promise.reject(new Error('the session ended before its server started'));
    this.upstream = upstream;
    const { transport, scrub } = upstream;
    // Depth first: the scrubber encodes the message, which a message nested too deep would overflow.
    transport.onmessage = (message) => this.onServerMessage(message, scrub);
    if (!isStdioServer(serverConfig)) this.liveness = new UpstreamLiveness((message) => transport.send(message), (reason) => void this.onUpstreamGone(reason));
    transport.onerror = (error) => {
      logger.debug(`[${server}] upstream: ${error.message}`);
      if (isStreamBreak(error)) void this.liveness?.check();
    };
    transport.onclose = () => void this.onUpstreamClosed();
    const started = transport.start();
    started.catch((error) => {
      logger.error(`server "${server}" failed to start`, error);
      this.lostSoon(`server failed to start: ${(error as Error).message}`);
    });
    return started;
  }

  private onServerMessage(received: JSONRPCMessage, scrub: (message: JSONRPCMessage) => JSONRPCMessage): void {
    if (isLivenessAnswer(received)) return;
    const shallow = nestsDeeperThan(received) ? this.refuseTooDeep(received) : received;
    if (!shallow) return;
    const message = scrub(shallow);
    if (this.initializeId !== undefined && 'result' in message && message.id === this.initializeId) {
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === 'string') {
        this.upstream?.setProtocolVersion(version);
        this.tryDescribe({ protocolVersion: version });
      }
    }
    this.runner.fromServer(message).catch((error) => this.options.logger.error(`session ${this.id.slice(0, 8)} (${this.options.server}): a message from the server failed`, error));
  }

  /**
   * A server message nested past `MAX_JSON_DEPTH` cannot be recorded safely: an answer becomes an
   * error for the agent (so its call ends), a request is refused to the server, a notification dropped.
   */
  private refuseTooDeep(message: JSONRPCMessage): JSONRPCMessage | undefined {
    const what = `nests more than ${MAX_JSON_DEPTH} levels deep`;
    this.options.logger.warn(`server "${this.options.server}" sent a message that ${what} (session ${this.id.slice(0, 8)}); refused`);
    if (('result' in message || 'error' in message) && message.id !== undefined) {
      return errorResponse(message.id, GatewayErrorCode.denied, `Airlock refused the server's answer: it ${what}`);
    }
    if ('method' in message && 'id' in message && message.id !== undefined) {
      void this.sendUpstream(errorResponse(message.id, -32600, `Airlock refused this request: it ${what}`)).catch(() => {});
    }
    return undefined;
  }

  private async onUpstreamClosed(): Promise<void> {
    if (this.closed) return;
    const message = `The server "${this.options.server}" exited. Airlock starts it again for a new session; reconnect to continue.`;
    this.options.logger.warn(`server "${this.options.server}" exited (session ${this.id.slice(0, 8)})`);
    await this.runner.failOpenRequests(message);
    this.options.onLost('server exited');
  }

  /** An HTTP server that cannot be reached any more: its calls are answered and the session ends. */
  private async onUpstreamGone(reason: string): Promise<void> {
    if (this.closed) return;
    this.options.logger.warn(`server "${this.options.server}" cannot be reached (session ${this.id.slice(0, 8)}): ${reason}`);
    await this.runner.failOpenRequests(`The connection to the server "${this.options.server}" broke (${reason}). Reconnect to continue.`);
    this.options.onLost('server unreachable');
  }

  private async sendUpstream(message: JSONRPCMessage): Promise<void> {
    if (!this.upstreamReady) throw new Error('the session was not initialized');
    await this.upstreamReady;
    try {
      await this.upstream!.transport.send(message);
    } catch (error) {
      // The caller answers this message's call; whether the server is gone for good is checked apart.
      void this.liveness?.check();
      throw error;
    }
  }

  /** The runner first answers the calls that were waiting for the server (they fail on their own). */
  private lostSoon(reason: string): void {
    setTimeout(() => this.options.onLost(reason), 100).unref();
  }

  private tryDescribe(info: { clientInfo?: unknown; protocolVersion?: string }): void {
    try {
      this.options.log.describeSession(this.id, info);
    } catch (error) {
      this.options.logger.error(`session ${this.id.slice(0, 8)}: could not record its details`, error);
    }
  }
}
