import { randomBytes, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { ApprovalBroker } from '../approvals/approval-broker.js';
import { bearerToken } from '../front/bearer-token.js';
import { readJsonBody } from '../front/read-json-body.js';
import type { PolicyStore } from '../policy/policy-store.js';
import { TokenVault } from '../masking/token-vault.js';
import { CONTROL_TOKEN_FILE, DecideApprovalSchema, MaskPreviewSchema, PolicyCheckSchema, type ControlResult } from './contract.js';

export interface ControlApiOptions {
  dataDir: string;
  approvals: ApprovalBroker;
  policy: PolicyStore;
}

const DECIDE_PATH = /^\/control\/approvals\/([^/]+)\/decision$/;

/**
 * The loopback control API for the user's own tools (CLI, tray window). It has its own token, new
 * at every start and written to a file only the user can read, so agents' tokens never reach it.
 */
export function createControlApi({ dataDir, approvals, policy }: ControlApiOptions) {
  const token = randomBytes(32).toString('base64url');
  writeFileSync(join(dataDir, CONTROL_TOKEN_FILE), token + '\n', { mode: 0o600 });
  const expected = Buffer.from(token);

  async function route(req: IncomingMessage, path: string): Promise<[number, ControlResult<unknown>]> {
    if (req.method === 'GET' && path === '/control/approvals') return [200, { ok: true, data: approvals.pending() }];
    if (req.method === 'GET' && path === '/control/policy') return [200, { ok: true, data: policy.describe() }];
    const decide = DECIDE_PATH.exec(path);
    if (req.method === 'POST' && decide) {
      const body = await parseBody(req, DecideApprovalSchema);
      if (!body.ok) return [400, body];
      const id = decodeURIComponent(decide[1]);
      if (!approvals.decide(id, body.data.decision, 'control-api', body.data.reason)) {
        return [404, { ok: false, code: 'not-pending', message: `approval ${id} is not pending (decided, timed out or withdrawn)` }];
      }
      return [200, { ok: true, data: { id, decision: body.data.decision } }];
    }
    if (req.method === 'POST' && path === '/control/policy/check') {
      const body = await parseBody(req, PolicyCheckSchema);
      if (!body.ok) return [400, body];
      const verdict = policy.current().evaluate(body.data);
      return [200, { ok: true, data: { action: verdict.action, rule: verdict.rule?.id ?? 'default', reason: verdict.reason } }];
    }
    if (req.method === 'POST' && path === '/control/mask/preview') {
      const body = await parseBody(req, MaskPreviewSchema);
      if (!body.ok) return [400, body];
      const { text, value, ...target } = body.data;
      const masker = policy.masking().maskerFor(target, new TokenVault());
      if (!masker) return [200, { ok: true, data: { masked: text ?? value, findings: [], maskingOff: true } }];
      const result = masker.maskValue(text ?? value);
      return [200, { ok: true, data: { masked: result.value, findings: result.findings } }];
    }
    return [404, { ok: false, code: 'not-found', message: `no control route ${req.method} ${path}` }];
  }

  return {
    async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
      const presented = Buffer.from(bearerToken(req) ?? '');
      const [status, result]: [number, ControlResult<unknown>] =
        presented.length === expected.length && timingSafeEqual(presented, expected)
          ? await route(req, path)
          : [401, { ok: false, code: 'unauthorized', message: `the control API needs the token in ${join(dataDir, CONTROL_TOKEN_FILE)}` }];
      const text = JSON.stringify(result);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    },
  };
}

export type ControlApi = ReturnType<typeof createControlApi>;

async function parseBody<T>(req: IncomingMessage, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }) {
  const body = await readJsonBody(req, 8 * 1024 * 1024);
  if (!body.ok) return { ok: false as const, code: 'bad-request', message: body.message };
  const parsed = schema.safeParse(body.value);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    return { ok: false as const, code: 'invalid', message };
  }
  return { ok: true as const, data: parsed.data };
}
