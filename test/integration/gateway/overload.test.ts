import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantile } from '../../bench/stats.js';
import { fixtureCommand, queryStore, readProbeLog, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';
import { TINY_STDIO_SERVER } from '../../load/load-servers.js';
import { existsSync, readFileSync } from 'node:fs';

const TIMED_OUT = -32004;
const OVERLOADED = -32005;
/** Long enough that only a timeout or a cancellation ends it. */
const HANG_MS = 600_000;

async function health(gateway: GatewayProcess): Promise<{ ok: boolean; sessions: number; inFlight: number }> {
  const res = await fetch(new URL('/healthz', gateway.url));
  expect(res.status).toBe(200);
  return res.json() as Promise<{ ok: boolean; sessions: number; inFlight: number }>;
}

async function rpcError(call: Promise<unknown>): Promise<McpError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

describe('a server that never answers', () => {
  let gateway: GatewayProcess;
  let dir: string;
  let serverLog: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-hung-'));
    serverLog = join(dir, 'tiny.log');
    // The awk server starts in milliseconds, so a one-second timeout only ever hits the hung call.
    gateway = await startGatewayProcess({
      servers: { tiny: { ...TINY_STDIO_SERVER, env: { TINY_LOG: serverLog } } },
      limits: { requestTimeoutSeconds: 1 },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the agent with a timeout error, sends notifications/cancelled upstream, and records both', async () => {
    const client = await gateway.connect('tiny');
    const error = await rpcError(client.callTool({ name: 'hang', arguments: {} }));
    expect(error.code).toBe(TIMED_OUT);
    expect(error.message).toMatch(/did not answer within 1 s \(limits\.requestTimeoutSeconds\)/);
    const cancelled = await waitFor(() => existsSync(serverLog) && readFileSync(serverLog, 'utf8').trim(), 'the server to receive the cancellation');
    expect(JSON.parse(cancelled)).toMatchObject({ method: 'notifications/cancelled', params: { requestId: expect.anything(), reason: expect.stringMatching(/timed out/) } });
    const rows = queryStore<{ direction: string; method: string | null; outcome: string }>(
      gateway.dataDir,
      "SELECT direction, method, outcome FROM messages WHERE method = 'notifications/cancelled' OR outcome = 'failed' ORDER BY id",
    );
    expect(rows).toEqual([
      { direction: 'to-agent', method: 'tools/call', outcome: 'failed' },
      { direction: 'to-server', method: 'notifications/cancelled', outcome: 'delivered' },
    ]);
    expect(await health(gateway)).toMatchObject({ inFlight: 0 });
    // The session is not wedged: the next call goes through.
    expect(await client.callTool({ name: 'echo', arguments: { text: 'still here' } })).toMatchObject({ content: [{ text: 'still here' }] });
  });
});

describe('the concurrency cap', () => {
  const CAP = 16;
  let gateway: GatewayProcess;
  let dir: string;
  let probeLog: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-cap-'));
    probeLog = join(dir, 'probe.log');
    gateway = await startGatewayProcess({
      servers: { probe: { ...fixtureCommand('probe-server.ts'), env: { PROBE_LOG: probeLog } } },
      limits: { maxInFlightRequests: CAP, requestTimeoutSeconds: 3600 },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses calls beyond the cap with an overload error at once, keeps /healthz answering, and frees every slot when the hung calls are cancelled', async () => {
    const clients: Client[] = await Promise.all([gateway.connect('probe'), gateway.connect('probe')]);
    const hung = Array.from({ length: CAP }, (_, i) => {
      const controller = new AbortController();
      const call = clients[i % 2].callTool({ name: 'slow', arguments: { ms: HANG_MS } }, undefined, { signal: controller.signal, timeout: HANG_MS });
      return { controller, settled: call.then(() => 'answered', () => 'rejected') };
    });
    await waitFor(async () => (await health(gateway)).inFlight === CAP, 'the hung calls to fill the cap');

    const refused = await Promise.all(Array.from({ length: 40 }, (_, i) => rpcError(clients[i % 2].callTool({ name: 'echo', arguments: { text: `call ${i}` } }))));
    expect(refused.map((error) => error.code)).toEqual(Array(40).fill(OVERLOADED));
    expect(refused[0].message).toMatch(/overloaded: 16 calls are already waiting on servers \(limits\.maxInFlightRequests\)/);
    // None of them reached the server.
    expect(readProbeLog(probeLog).filter((entry) => entry.tool === 'echo')).toEqual([]);

    const healthMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      expect((await health(gateway)).ok).toBe(true);
      healthMs.push(performance.now() - t0);
    }
    console.log('healthz while at the cap:', JSON.stringify({ samples: healthMs.length, p50Ms: quantile(healthMs, 0.5), p99Ms: quantile(healthMs, 0.99), maxMs: quantile(healthMs, 1) }));

    for (const call of hung) call.controller.abort('test is done');
    expect(await Promise.all(hung.map((call) => call.settled))).toEqual(Array(CAP).fill('rejected'));
    await waitFor(async () => (await health(gateway)).inFlight === 0, 'every slot to be given back');
    await waitFor(() => readProbeLog(probeLog).filter((entry) => entry.cancelled === 'slow').length === CAP, 'the server to see every cancellation');
    expect(await clients[0].callTool({ name: 'echo', arguments: { text: 'room again' } })).toMatchObject({ content: [{ text: 'room again' }] });
  });
});
