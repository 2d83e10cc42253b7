import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config } from '../config/config-schema.js';
import type { Logger } from '../logger.js';
import type { ConnectionRegistry } from '../connections/connection-registry.js';
import type { ControlApi } from '../control/control-api.js';
import type { GatewayServices, Stage } from '../pipeline/pipeline-types.js';
import { createAgentEndpoints } from './agent-endpoints.js';
import type { ClientTokens } from '../store/client-tokens.js';
import type { MessageLog } from '../store/message-log.js';
import { replyJson, replyRpcError } from './http-replies.js';
import { checkHostAndOrigin, isLoopbackOrigin } from './loopback-guard.js';
import type { ServerLeg } from './server-leg.js';
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
  /** The recorded sessions open with a server, by id (an agent on `/mcp` has one per server). */
  sessions: ReadonlyMap<string, ServerLeg>;
  /** Ends every agent session (recording why) and their upstream connections. */
  closeSessions(reason: string): Promise<void>;
}

const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
  'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version',
  'access-control-max-age': '600',
};

/**
 * The gateway's HTTP door: loopback Host/Origin first, then the control API, the UI, CORS for
 * loopback pages, and the agents' endpoints (`/servers/<name>/mcp`, `/mcp`) over Streamable HTTP.
 */
export function createHttpFront(options: HttpFrontOptions): HttpFront {
  const { config, logger } = options;
  const endpoints = createAgentEndpoints(options);
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
    const path = pathOf(req.url);
    if (path === undefined) return replyRpcError(res, 400, -32000, `Bad Request: "${req.url}" is not a path`);
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

    if (path === '/healthz') return replyJson(res, 200, { ok: true, sessions: endpoints.legs.size, inFlight: options.services.admission.inFlight });
    if (!(await endpoints.handle(req, res, path))) {
      replyRpcError(res, 404, -32000, 'Not found: agents connect to /servers/<name>/mcp, or to /mcp for every server');
    }
  }
  // Agents pause between calls; a server that drops idle connections after Node's 5 s races their
  // next POST, which fails with "other side closed" and is not retried. Outlast the clients instead.
  server.keepAliveTimeout = 65_000;
  server.once('close', () => endpoints.stop());

  return { server, sessions: endpoints.legs, closeSessions: endpoints.closeSessions };
}

function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

/** The path of a request target, or undefined when it is none (`//`, `*`): a client's mistake, not Airlock's. */
function pathOf(target = '/'): string | undefined {
  try {
    return new URL(target, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}
