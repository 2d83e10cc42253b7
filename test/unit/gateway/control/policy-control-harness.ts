import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { CONTROL_ROUTES, type ControlResult, type JsonRouteName, type RouteData } from '../../../../src-gateway/control/contract.js';
import type { ControlDeps } from '../../../../src-gateway/control/control-deps.js';
import { clientHandlers } from '../../../../src-gateway/control/handlers/client-handlers.js';
import { maskingHandlers } from '../../../../src-gateway/control/handlers/masking-handlers.js';
import { policyHandlers } from '../../../../src-gateway/control/handlers/policy-handlers.js';
import type { Logger } from '../../../../src-gateway/logger.js';
import { LOCAL_RULES_FILE } from '../../../../src-gateway/policy/local-rules.js';
import { PolicyStore } from '../../../../src-gateway/policy/policy-store.js';
import { ClientTokens } from '../../../../src-gateway/store/client-tokens.js';
import { openDatabase } from '../../../../src-gateway/store/open-database.js';

type Route = 'policyStatus' | 'checkPolicy' | 'validatePolicy' | 'addLocalRule' | 'removeLocalRule' | 'listDetectors' | 'previewMasking' | 'listClients' | 'createClient' | 'revokeClient';

export interface PolicyControlHarness {
  dataDir: string;
  policyFile?: string;
  policy: PolicyStore;
  tokens: ClientTokens;
  db: ReturnType<typeof openDatabase>;
  /** What the gateway logged, to check that no secret reaches it. */
  logs: string[];
  /** Validates the body with the contract's schema as the router does, then calls the route's handler. */
  call<K extends Route & JsonRouteName>(route: K, input?: { body?: unknown; params?: Record<string, string> }): Promise<ControlResult<RouteData[K]>>;
  close(): void;
}

/**
 * The policy, masking and client handlers over a real data dir, policy store and database: only the
 * HTTP layer is left out, so every hostile body can be tried in milliseconds.
 */
export function openPolicyControl(options: { policy?: { name: string; text: string }; localRules?: string } = {}): PolicyControlHarness {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-control-'));
  const dataDir = join(dir, 'data');
  let policyFile: string | undefined;
  if (options.policy) {
    policyFile = join(dir, options.policy.name);
    writeFileSync(policyFile, options.policy.text);
  }
  const db = openDatabase(dataDir);
  if (options.localRules !== undefined) writeFileSync(join(dataDir, LOCAL_RULES_FILE), options.localRules);
  const logs: string[] = [];
  const logger: Logger = {
    debug: (m) => logs.push(m),
    info: (m) => logs.push(m),
    warn: (m) => logs.push(m),
    error: (m, e) => logs.push(`${m} ${e instanceof Error ? e.message : String(e ?? '')}`),
  };
  const policy = new PolicyStore({ file: policyFile, dataDir, logger });
  const tokens = new ClientTokens(db);
  const deps = { dataDir, policy, tokens, db, logger } as Partial<ControlDeps> as ControlDeps;
  const handlers = { ...policyHandlers(deps), ...maskingHandlers(deps), ...clientHandlers(deps) };

  return {
    dataDir,
    policyFile,
    policy,
    tokens,
    db,
    logs,
    async call(route, input = {}) {
      const spec = CONTROL_ROUTES[route] as { body?: z.ZodType };
      let body: unknown;
      if (spec.body) {
        const parsed = spec.body.safeParse(input.body);
        if (!parsed.success) {
          const message = parsed.error.issues.map((issue) => `${['body', ...issue.path.map(String)].join('.')}: ${issue.message}`).join('; ');
          return { ok: false, code: 'invalid', message };
        }
        body = parsed.data;
      }
      const handler = handlers[route] as (input: unknown) => unknown;
      return (await handler({ params: input.params ?? {}, query: {}, body })) as ControlResult<RouteData[typeof route]>;
    },
    close() {
      policy.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
