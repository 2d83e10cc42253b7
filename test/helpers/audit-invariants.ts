import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { queryStore, readProbeLog } from './gateway-process.js';

// "No record, no call" checked from outside: each call carries a nonce, and the store and the
// probe server's log are compared with what the agents got back.

/** The JSON-RPC error code of a call refused because it could not be recorded. */
export const NOT_RECORDED = -32003;

export interface CallResult {
  nonce: string;
  ok: boolean;
  code?: number;
  message?: string;
}

let counter = 0;

/**
 * Makes `count` echo calls, several in flight per session; `onSettled(n)` runs after each of them
 * settles, so a test can inject a fault while calls are in flight.
 */
export async function callMany(clients: Client[], count: number, inFlightPerSession = 4, onSettled?: (settled: number) => void): Promise<CallResult[]> {
  const results: CallResult[] = [];
  let remaining = count;
  await Promise.all(
    clients.flatMap((client) =>
      Array.from({ length: inFlightPerSession }, async () => {
        while (remaining-- > 0) {
          const nonce = `n${(counter++).toString(36)}x`;
          try {
            const result = await client.callTool({ name: 'echo', arguments: { text: nonce } });
            expect(result.content).toEqual([{ type: 'text', text: nonce }]);
            results.push({ nonce, ok: true });
          } catch (error) {
            if (!(error instanceof McpError)) throw error;
            results.push({ nonce, ok: false, code: error.code, message: error.message });
          }
          onSettled?.(results.length);
        }
      }),
    ),
  );
  return results;
}

/** Nonces whose call (to-server) and answer (to-agent) rows are committed in the store. */
export function committedNonces(dataDir: string) {
  const rows = queryStore<{ direction: string; outcome: string; body: string }>(dataDir, "SELECT direction, outcome, body FROM messages WHERE method = 'tools/call' OR outcome IN ('ok', 'error', 'failed')");
  const forwarded = new Set<string>();
  const answered = new Set<string>();
  for (const row of rows) {
    const nonce = /"(n[0-9a-z]+x)"/.exec(row.body)?.[1];
    if (!nonce) continue;
    if (row.direction === 'to-server' && row.outcome === 'forwarded') forwarded.add(nonce);
    if (row.direction === 'to-agent' && row.outcome === 'ok') answered.add(nonce);
  }
  return { forwarded, answered };
}

/** Every answer delivered to the agent has its rows; every call the server saw was recorded first. */
export function expectNoUnrecorded(results: CallResult[], dataDir: string, probeLog: string) {
  const { forwarded, answered } = committedNonces(dataDir);
  const delivered = results.filter((result) => result.ok);
  expect(delivered.filter((result) => !answered.has(result.nonce) || !forwarded.has(result.nonce))).toEqual([]);
  const reachedServer = readProbeLog(probeLog).map((entry) => (entry.arguments as { text?: string } | undefined)?.text).filter(Boolean) as string[];
  expect(reachedServer.filter((nonce) => !forwarded.has(nonce))).toEqual([]);
  return { delivered: delivered.length, reachedServer: reachedServer.length };
}

/** Refused calls were refused for the audit log, with the message that says so. */
export function expectRefusedForTheLog(results: CallResult[]): number {
  const refused = results.filter((result) => !result.ok);
  for (const result of refused) {
    expect(result.code).toBe(NOT_RECORDED);
    expect(result.message).toMatch(/could not record .* in its audit log/);
  }
  return refused.length;
}

/** Records out of order in the store: within a session time never goes back, and each answer comes after its call. */
export function outOfOrderRecords(dataDir: string): number {
  const rows = queryStore<{ session_id: string; ts: number; direction: string; rpc_id: string | null }>(dataDir, 'SELECT session_id, ts, direction, rpc_id FROM messages ORDER BY id');
  const bySession = new Map<string, { ts: number; calls: Set<string> }>();
  let outOfOrder = 0;
  for (const row of rows) {
    const session = bySession.get(row.session_id) ?? { ts: 0, calls: new Set<string>() };
    bySession.set(row.session_id, session);
    if (row.ts < session.ts) outOfOrder++;
    session.ts = row.ts;
    if (row.direction === 'to-server' && row.rpc_id) session.calls.add(row.rpc_id);
    if (row.direction === 'to-agent' && row.rpc_id && !session.calls.has(row.rpc_id)) outOfOrder++;
  }
  return outOfOrder;
}
