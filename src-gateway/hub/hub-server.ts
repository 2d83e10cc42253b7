import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { OrgFetch } from '../sync/org-fetch.js';
import { createHubAuth, type HubCaller } from './hub-auth.js';
import { HubStore } from './hub-store.js';
import { readLogRequest } from './log-intake.js';
import { servePolicyBundle } from './policy-route.js';
import { sessionsPage } from './sessions-page.js';

export interface HubOptions {
  cert: string | Buffer;
  key: string | Buffer;
  issuer: string;
  audience: string;
  policyDir: string;
  policyMaxAgeSeconds: number;
  dataDir: string;
  host: string;
  port: number;
  /** The fetch for the issuer (trusting `--ca-file`). */
  fetch: OrgFetch;
  logger: Logger;
}

export interface RunningHub {
  url: string;
  server: Server;
  store: HubStore;
  stop(): Promise<void>;
}

/**
 * The reference org hub over HTTPS. Every route but `/healthz` needs a valid access token from the
 * org's issuer for the hub's audience: the policy bundle, the OTLP/HTTP logs intake (deduplicated
 * by batch key and record id), and a read-only view of the sessions it holds.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { logger } = options;
  const auth = await createHubAuth(options);
  const store = new HubStore(options.dataDir);
  const policy = servePolicyBundle(options.policyDir, options.policyMaxAgeSeconds, (message) => logger.error(`policy bundle: ${message}`));

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse, caller: HubCaller) => Promise<void> | void> = {
    'GET /policy/bundle': policy,
    'HEAD /policy/bundle': policy,
    'POST /v1/logs': async (req, res, caller) => {
      const intake = await readLogRequest(req);
      if (!intake.ok) return json(res, intake.status, { error: intake.message }, { connection: 'close' });
      const key = req.headers['idempotency-key'];
      if (typeof key === 'string' && key.length > 200) return json(res, 400, { error: 'Idempotency-Key is longer than 200 characters' });
      // Without a key, the batch is keyed by its records: a resend still dedups by record id.
      const batchKey = typeof key === 'string' && key ? key : `records:${createHash('sha256').update(intake.records.map((r) => r.recordId).join('\n')).digest('hex')}`;
      const result = store.storeBatch(batchKey, caller.subject, intake.records);
      logger.info(`logs: batch ${batchKey.slice(0, 60)} from ${caller.subject}: ${intake.records.length} records, ${result.duplicate ? 'already held' : `${result.accepted} new`}`);
      // OTLP's answer: an ExportLogsServiceResponse; nothing was rejected.
      json(res, 200, {});
    },
    'GET /sessions.json': (_req, res) => json(res, 200, { items: store.sessions() }),
    'GET /sessions': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" }).end(sessionsPage(store.sessions()));
    },
  };

  const server = createServer({ cert: options.cert, key: options.key }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://hub').pathname;
    if (path === '/healthz') return json(res, 200, { ok: true });
    const route = routes[`${req.method} ${path}`];
    if (!route) return json(res, 404, { error: `no route ${req.method} ${path}` });
    void (async () => {
      const verdict = await auth(req.headers.authorization);
      if (!verdict.ok) return json(res, 401, { error: verdict.reason }, { 'www-authenticate': verdict.wwwAuthenticate });
      await route(req, res, verdict.caller);
    })().catch((error: unknown) => {
      logger.error(`${req.method} ${path} failed`, error);
      if (!res.headersSent) json(res, 500, { error: 'the hub failed to answer; its log says why' });
      else res.destroy();
    });
  });
  server.listen(options.port, options.host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const { port } = server.address() as AddressInfo;
  const url = `https://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

  return {
    url,
    server,
    store,
    stop: async () => {
      server.close();
      server.closeAllConnections();
      await once(server, 'close').catch(() => undefined);
      store.close();
    },
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}
