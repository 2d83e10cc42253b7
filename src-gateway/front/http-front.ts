import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config } from '../config/config-schema.js';
import type { Logger } from '../logger.js';
import type { ConnectionRegistry } from '../connections/connection-registry.js';
import type { ControlApi } from '../control/control-api.js';
import type { GatewayServices, Stage } from '../pipeline/pipeline-types.js';
import { AgentSession } from './agent-session.js';
import type { ClientTokens } from '../store/client-tokens.js';
import type { MessageLog } from '../store/message-log.js';
import { bearerToken } from './bearer-token.js';
import { replyJson, replyRpcError } from './http-replies.js';
import { checkHostAndOrigin, isLoopbackOrigin } from './loopback-guard.js';
import { serveUi } from './ui-static.js';

export interface HttpFrontOptions {
  config: Config;
  log: MessageLog;
  tokens: ClientTokens;
  stages: readonly Stage[];
  services: GatewayServices;
  control: ControlApi;
  connections: ConnectionRegistry;
  logger: Logger;
}

export interface HttpFront {
  server: Server;
  sessions: ReadonlyMap<string, AgentSession>;
  /** Ends every agent session (recording why) and their upstream connections. */
  closeSessions(reason: string): Promise<void>;
}

const MCP_PATH = /^\/servers\/([^/]+)\/mcp\/?$/;
const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
  'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version',
  'access-control-max-age': '600',
};

/**
 * The agents' door: `/servers/<name>/mcp` over Streamable HTTP. In order: loopback Host/Origin,
 * route, bearer token, session; then the session's SDK transport speaks the protocol.
 */
export function createHttpFront(options: HttpFrontOptions): HttpFront {
  const { config, logger } = options;
  const sessions = new Map<string, AgentSession>();
  const extraHosts = isLoopbackHost(config.listen.host) ? [] : [config.listen.host];

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      logger.error(`${req.method} ${req.url} failed`, error);
      replyRpcError(res, 500, -32603, 'Internal error in Airlock; see the gateway log');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const guard = checkHostAndOrigin(req, extraHosts);
    if (!guard.ok) return replyRpcError(res, 403, -32000, `Forbidden: ${guard.reason}`);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // The control API is for the user's own tools: no CORS, so no other page can read it.
    if (path.startsWith('/control/')) return options.control.handle(req, res);
    if (path === '/' || path === '/ui' || path.startsWith('/ui/')) return serveUi(req, res, path);
    const origin = req.headers.origin;
    if (origin && isLoopbackOrigin(origin, extraHosts)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS_HEADERS).end();
        return;
      }
      res.setHeader('access-control-expose-headers', CORS_HEADERS['access-control-expose-headers']);
    }

    if (path === '/healthz') return replyJson(res, 200, { ok: true, sessions: sessions.size });
    const route = MCP_PATH.exec(path);
    if (!route) return replyRpcError(res, 404, -32000, `Not found: agents connect to /servers/<name>/mcp`);

    const token = bearerToken(req);
    const client = token === undefined ? undefined : options.tokens.clientFor(token);
    if (!client) {
      return replyRpcError(res, 401, -32000, token === undefined
        ? 'Unauthorized: send "Authorization: Bearer <token>"; create one with `airlock token create <client-name>`'
        : 'Unauthorized: the token is unknown or revoked', { 'www-authenticate': 'Bearer realm="airlock"' });
    }

    const serverName = decodeURIComponent(route[1]);
    const serverConfig = options.connections.get(serverName);
    if (!serverConfig) {
      const known = options.connections.list().map((c) => c.name).join(', ') || 'none configured';
      return replyRpcError(res, 404, -32000, `Unknown server "${serverName}" (servers: ${known})`);
    }

    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      // Another client's session, or another server's, is as good as unknown: never reveal it exists.
      if (!session || session.client !== client || session.server !== serverName) {
        return replyRpcError(res, 404, -32001, 'Session not found; start a new one with initialize');
      }
      return session.handle(req, res);
    }
    if (req.method !== 'POST') {
      return replyRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required', { allow: 'POST' });
    }
    // A POST without a session may only be initialize; the transport refuses anything else with
    // 400, and the session becomes addressable only once initialize arrives.
    const session = new AgentSession({
      server: serverName,
      serverConfig,
      client,
      log: options.log,
      stages: options.stages,
      services: options.services,
      logger,
      maxBodyBytes: config.limits.maxBodyBytes,
      resumableEvents: config.limits.resumableEvents,
      onOpened: (opened) => {
        sessions.set(opened.id, opened);
        logger.info(`session ${opened.id.slice(0, 8)} opened: client "${client}" → server "${serverName}"`);
      },
      onClosed: (closed) => {
        if (sessions.delete(closed.id)) logger.info(`session ${closed.id.slice(0, 8)} closed`);
      },
    });
    await session.handle(req, res);
  }

  // A removed connection takes its open sessions with it: their server should not outlive it.
  const stopWatching = options.connections.onChange((names) => {
    for (const session of sessions.values()) {
      if (names.includes(session.server) && !options.connections.get(session.server)) void session.close('connection removed');
    }
  });
  server.once('close', stopWatching);

  const idleMs = config.limits.sessionIdleSeconds * 1000;
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const session of sessions.values()) {
      if (session.isIdle(now, idleMs)) void session.close('idle');
    }
  }, Math.min(idleMs / 2, 30_000));
  sweeper.unref();
  server.once('close', () => clearInterval(sweeper));

  return {
    server,
    sessions,
    async closeSessions(reason) {
      await Promise.all([...sessions.values()].map((session) => session.close(reason)));
    },
  };
}

function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}
