import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GatewayProcess } from './gateway-process.js';

/** Calls a test gateway's control API with its control token, as the CLI and tray window do. */
export async function control<T = unknown>(gateway: GatewayProcess, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; ok: boolean; data: T; code?: string; message?: string }> {
  const token = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
  const response = await fetch(new URL(path, gateway.url), {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as { ok: boolean; data: T; code?: string; message?: string }) };
}

export interface PendingApprovalView {
  id: string;
  server: string;
  tool?: string;
  client: string;
  arguments: unknown;
  ruleId?: string;
  reason: string;
  expiresAt: number;
}
