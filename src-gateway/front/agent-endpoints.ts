import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config/config-schema.js';
import type { ConnectionRegistry } from '../connections/connection-registry.js';
import type { Logger } from '../logger.js';
import type { GatewayServices, Stage } from '../pipeline/pipeline-types.js';
import { hashToken, type ClientTokens } from '../store/client-tokens.js';
import type { MessageLog } from '../store/message-log.js';
import { AgentSession } from './agent-session.js';
import { AggregateSession } from './aggregate-session.js';
import { bearerToken } from './bearer-token.js';
import { replyRpcError } from './http-replies.js';
import type { ServerLeg } from './server-leg.js';

export interface AgentEndpointsOptions {
  config: Config;
  log: MessageLog;
  tokens: ClientTokens;
  stages: readonly Stage[];
  services: GatewayServices;
  connections: ConnectionRegistry;
  logger: Logger;
}

export interface AgentEndpoints {
  /** The recorded sessions open with a server (one per server leg), by id. */
  legs: ReadonlyMap<string, ServerLeg>;
  /** Serves an agent request once Host and Origin passed; false when `path` is no agent endpoint. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
  closeSessions(reason: string): Promise<void>;
  /** Stops the idle sweep and the watch on connections. */
  stop(): void;
}

/** `/mcp` spans every server; its sessions have no server of their own (`server` is ''). */
const AGGREGATE_PATH = /^\/mcp\/?$/;
const SERVER_PATH = /^\/servers\/([^/]+)\/mcp\/?$/;

/**
 * The agents' endpoints: `/servers/<name>/mcp` for one server, `/mcp` for all of them. In order:
 * route, bearer token, session (bound to its client and endpoint); then the session's transport.
 */
export function createAgentEndpoints(options: AgentEndpointsOptions): AgentEndpoints {
  const { config, logger, connections } = options;
  const sessions = new Map<string, AgentSession | AggregateSession>();
  /** The hash of the token that opened each session: a client's other tokens cannot use it either. */
  const owners = new Map<string, string>();
  const legs = new Map<string, ServerLeg>();

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const route = SERVER_PATH.exec(path);
    if (!route && !AGGREGATE_PATH.test(path)) return false;

    const token = bearerToken(req);
    const client = token === undefined ? undefined : options.tokens.clientFor(token);
    if (token === undefined || !client) {
      replyRpcError(res, 401, -32000, token === undefined
        ? 'Unauthorized: send "Authorization: Bearer <token>"; create one with `airlock token create <client-name>`'
        : 'Unauthorized: the token is unknown or revoked', { 'www-authenticate': 'Bearer realm="airlock"' });
      return true;
    }

    const owner = hashToken(token);
    const serverName = route ? decodeServerName(route[1]) : '';
    const serverConfig = route ? connections.get(serverName) : undefined;
    if (route && !serverConfig) {
      const known = connections.list().map((c) => c.name).join(', ') || 'none configured';
      replyRpcError(res, 404, -32000, `Unknown server "${serverName}" (servers: ${known})`);
      return true;
    }

    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      // Another token's session, or another endpoint's, is as good as unknown: never reveal it exists.
      if (!session || owners.get(sessionId) !== owner || session.client !== client || session.server !== serverName) {
        replyRpcError(res, 404, -32001, 'Session not found; start a new one with initialize');
      } else {
        await session.handle(req, res);
      }
      return true;
    }
    if (req.method !== 'POST') {
      replyRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required', { allow: 'POST' });
      return true;
    }
    // A POST without a session may only be initialize; the transport refuses anything else with
    // 400, and the session becomes addressable only once initialize arrives.
    const common = {
      client,
      log: options.log,
      stages: options.stages,
      services: options.services,
      logger,
      maxBodyBytes: config.limits.maxBodyBytes,
      resumableEvents: config.limits.resumableEvents,
      maxBufferedBytes: config.limits.maxBufferedStreamBytes,
      onOpened: (opened: AgentSession | AggregateSession) => {
        sessions.set(opened.id, opened);
        owners.set(opened.id, owner);
        logger.info(`session ${opened.id.slice(0, 8)} opened: client "${client}" → ${serverConfig ? `server "${serverName}"` : 'every server (/mcp)'}`);
      },
      onClosed: (closed: AgentSession | AggregateSession) => {
        owners.delete(closed.id);
        if (sessions.delete(closed.id)) logger.info(`session ${closed.id.slice(0, 8)} closed`);
      },
      onLegOpened: (leg: ServerLeg) => void legs.set(leg.id, leg),
      onLegClosed: (leg: ServerLeg) => void legs.delete(leg.id),
    };
    const session = serverConfig
      ? new AgentSession({ ...common, server: serverName, serverConfig })
      : new AggregateSession({ ...common, connections: connections.list() });
    await session.handle(req, res);
    return true;
  }

  // A removed connection takes its open sessions with it: their server should not outlive it.
  const stopWatching = connections.onChange((names) => {
    for (const name of names.filter((changed) => !connections.get(changed))) {
      for (const session of sessions.values()) {
        if (session instanceof AggregateSession) void session.dropServer(name, 'connection removed');
        else if (session.server === name) void session.close('connection removed');
      }
    }
  });

  const idleMs = config.limits.sessionIdleSeconds * 1000;
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const session of sessions.values()) {
      if (session.isIdle(now, idleMs)) void session.close('idle');
    }
  }, Math.min(idleMs / 2, 30_000));
  sweeper.unref();

  return {
    legs,
    handle,
    async closeSessions(reason) {
      await Promise.all([...sessions.values()].map((session) => session.close(reason)));
    },
    stop() {
      stopWatching();
      clearInterval(sweeper);
    },
  };
}

/** A server name from the path; malformed percent-encoding (`%E0`) names no server rather than failing the request. */
function decodeServerName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
