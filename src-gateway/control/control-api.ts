import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { z } from 'zod';
import { bearerToken } from '../front/bearer-token.js';
import { readJsonBody } from '../front/read-json-body.js';
import { writePrivateFile } from '../store/private-file.js';
import { CONTROL_ROUTES, CONTROL_TOKEN_FILE, ERROR_STATUS, type ControlResult, type RouteName } from './contract.js';
import type { ControlDeps } from './control-deps.js';
import { fail, type ControlHandlers } from './control-handler.js';
import { agentAppHandlers } from './handlers/agent-app-handlers.js';
import { approvalHandlers } from './handlers/approval-handlers.js';
import { clientHandlers } from './handlers/client-handlers.js';
import { connectionHandlers } from './handlers/connection-handlers.js';
import { historyHandlers } from './handlers/history-handlers.js';
import { maskingHandlers } from './handlers/masking-handlers.js';
import { orgHandlers } from './handlers/org-handlers.js';
import { policyHandlers } from './handlers/policy-handlers.js';
import { protectionHandlers } from './handlers/protection-handlers.js';

/** Control requests are small JSON; a masking preview of a large text is the biggest. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

interface CompiledRoute {
  name: RouteName;
  method: string;
  pattern: RegExp;
  keys: string[];
}

/** `/control/sessions/:id` → a regex capturing each `:param` as one path segment. */
function compileRoutes(): CompiledRoute[] {
  return Object.entries(CONTROL_ROUTES).map(([name, spec]) => {
    const keys: string[] = [];
    const source = spec.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([a-z]+)/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    return { name: name as RouteName, method: spec.method, pattern: new RegExp(`^${source}$`), keys };
  });
}

/**
 * The loopback control API for the user's own tools (CLI, tray window). It has its own token, new
 * at every start and written to a file only the user can read, so agents' tokens never reach it.
 * Every route is declared in `contract.ts`; here a request is authenticated, routed, its query and
 * body validated, and handed to its domain's handler.
 */
export function createControlApi(deps: ControlDeps) {
  const token = randomBytes(32).toString('base64url');
  writePrivateFile(join(deps.dataDir, CONTROL_TOKEN_FILE), token + '\n');
  const expected = Buffer.from(token);
  const routes = compileRoutes();
  const handlers: ControlHandlers = {
    ...historyHandlers(deps),
    ...approvalHandlers(deps),
    ...policyHandlers(deps),
    ...maskingHandlers(deps),
    ...connectionHandlers(deps),
    ...clientHandlers(deps),
    ...protectionHandlers(deps),
    ...agentAppHandlers(deps),
    ...orgHandlers(deps),
  };

  function authorized(req: IncomingMessage): boolean {
    const presented = Buffer.from(bearerToken(req) ?? '');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse, url: URL): Promise<ControlResult<unknown> | undefined> {
    if (!authorized(req)) {
      return fail('unauthorized', `the control API needs the token in ${join(deps.dataDir, CONTROL_TOKEN_FILE)}`);
    }
    const path = url.pathname;
    const matching = routes.filter((route) => route.pattern.test(path));
    const route = matching.find((candidate) => candidate.method === req.method);
    if (!route) {
      if (matching.length) return fail('not-found', `${path} answers ${matching.map((r) => r.method).join(', ')}, not ${req.method}`);
      return fail('not-found', `no control route ${req.method} ${path}`);
    }
    const spec = CONTROL_ROUTES[route.name] as { query?: z.ZodType; body?: z.ZodType; raw?: true };
    const captured = route.pattern.exec(path)!;
    const params: Record<string, string> = {};
    try {
      route.keys.forEach((key, index) => (params[key] = decodeURIComponent(captured[index + 1])));
    } catch {
      return fail('bad-request', `the path ${path} is not valid URL encoding`);
    }

    let query: unknown = {};
    if (spec.query) {
      const parsed = spec.query.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) return fail('invalid', describeIssues('query', parsed.error.issues));
      query = parsed.data;
    }
    let body: unknown;
    if (spec.body) {
      const read = await readJsonBody(req, MAX_BODY_BYTES);
      if (!read.ok) return fail('bad-request', read.message);
      const parsed = spec.body.safeParse(read.value);
      if (!parsed.success) return fail('invalid', describeIssues('body', parsed.error.issues));
      body = parsed.data;
    }

    const handler = handlers[route.name] as (input: unknown) => unknown;
    const result = await handler({ params, query, body, req, res });
    return spec.raw ? undefined : (result as ControlResult<unknown>);
  }

  return {
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let result: ControlResult<unknown> | undefined;
      try {
        result = await dispatch(req, res, url);
      } catch (error) {
        deps.logger.error(`control ${req.method} ${url.pathname} failed`, error);
        result = fail('internal', 'Airlock could not answer this request; see the gateway log');
      }
      if (result === undefined || res.headersSent) return;
      const status = result.ok ? 200 : (ERROR_STATUS[result.code as keyof typeof ERROR_STATUS] ?? 400);
      const text = JSON.stringify(result);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' }).end(text);
    },
  };
}

export type ControlApi = ReturnType<typeof createControlApi>;

function describeIssues(where: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues.map((issue) => `${[where, ...issue.path.map(String)].join('.')}: ${issue.message}`).join('; ');
}
