import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryKiB } from '../../bench/proc-stats.js';
import { BENCH_SERVER } from '../../bench/server-command.js';
import { fixtureCommand, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';
import { startHttpProbe, stopProcess } from '../../load/load-servers.js';

const SERVER_UNAVAILABLE = -32002;
const HANG = { name: 'slow', arguments: { ms: 600_000 } };

async function health(gateway: GatewayProcess): Promise<{ sessions: number; inFlight: number }> {
  return (await fetch(new URL('/healthz', gateway.url))).json() as Promise<{ sessions: number; inFlight: number }>;
}

/** How a call ended: its JSON-RPC error, or the error the client raised (no answer at all). */
async function failure(call: Promise<unknown>): Promise<McpError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a Streamable HTTP server that crashes mid-call and comes back', () => {
  let gateway: GatewayProcess;
  let server: ChildProcess;
  let port: number;
  beforeAll(async () => {
    const probe = await startHttpProbe();
    server = probe.child;
    port = Number(new URL(probe.url).port);
    const nowhere = `http://127.0.0.1:${await closedPort()}/mcp`;
    // A timeout far beyond the test: every answer below comes from noticing the fault, not waiting it out.
    gateway = await startGatewayProcess({ servers: { remote: { url: probe.url }, nowhere: { url: nowhere } }, limits: { requestTimeoutSeconds: 3600 } });
  });
  afterAll(async () => {
    await gateway?.stop();
    if (server) await stopProcess(server);
  });

  it('answers every call in flight when the server is killed, ends the session, and serves a new session once the server is back', async () => {
    const client = await gateway.connect('remote');
    const inFlight = Array.from({ length: 5 }, () => failure(client.callTool(HANG, undefined, { timeout: 600_000 })));
    await waitFor(async () => (await health(gateway)).inFlight === 5, 'the calls to reach the server');
    await stopProcess(server, 'SIGKILL');
    for (const error of await Promise.all(inFlight)) {
      expect(error.code).toBe(SERVER_UNAVAILABLE);
      expect(error.message).toMatch(/could not be reached|connection to the server "remote" broke/);
    }
    await waitFor(async () => (await health(gateway)).sessions === 0, 'the broken session to end');
    expect(await health(gateway)).toMatchObject({ inFlight: 0 });

    server = (await startHttpProbe(port)).child;
    // The old session is gone (the agent is told to start a new one); a new session works.
    await expect(client.callTool({ name: 'echo', arguments: { text: 'old session' } })).rejects.toThrow(/Session not found/);
    const fresh = await gateway.connect('remote');
    expect(await fresh.callTool({ name: 'echo', arguments: { text: 'new session' } })).toMatchObject({ content: [{ text: 'new session' }] });
  });

  it('answers with a clear error when the server cannot be reached at all', async () => {
    await expect(gateway.connect('nowhere')).rejects.toThrow(/could not be reached/);
    await waitFor(async () => (await health(gateway)).inFlight === 0, 'no call to stay open');
  });
});

describe('a stdio server that crashes with many calls in flight', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, limits: { requestTimeoutSeconds: 3600 } });
  });
  afterAll(async () => gateway?.stop());

  it('answers every one of them and gives back every slot', async () => {
    const client = await gateway.connect('probe');
    const inFlight = Array.from({ length: 20 }, () => failure(client.callTool(HANG, undefined, { timeout: 600_000 })));
    await waitFor(async () => (await health(gateway)).inFlight === 20, 'the calls to reach the server');
    const crash = failure(client.callTool({ name: 'crash', arguments: {} }));
    for (const error of await Promise.all([...inFlight, crash])) {
      expect(error.code).toBe(SERVER_UNAVAILABLE);
      expect(error.message).toMatch(/exited/);
    }
    await waitFor(async () => (await health(gateway)).inFlight === 0, 'every slot to be given back');
  });
});

describe('an agent that stops reading its stream', () => {
  const LIMIT = 1024 * 1024;
  const CALLS = 400; // 400 answers of 64 KiB: 25 MiB, far more than the socket buffers hold
  let gateway: GatewayProcess;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-slow-reader-'));
    // Masking off: the flood should cost the gateway buffering, not scanning.
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ rules: [], masking: { enabled: false } }));
    gateway = await startGatewayProcess({ servers: { bench: BENCH_SERVER }, policy: join(dir, 'policy.json'), limits: { maxBufferedStreamBytes: LIMIT } });
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is disconnected once its unread stream passes the limit, and its session still answers', async () => {
    const url = gateway.agentUrl('bench');
    const headers = { authorization: `Bearer ${gateway.token}`, accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
    const init = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'slow-reader', version: '1' } } }) });
    await init.text();
    const session = { ...headers, 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-06-18' };
    await (await fetch(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).text();

    const rssBefore = memoryKiB(gateway.child.pid!)!.rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryKiB(gateway.child.pid!)?.rss ?? 0)), 100);
    const batch = Array.from({ length: CALLS }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: 'blob_64k', arguments: {} } }));
    // A raw request whose response is never read: its socket fills up and stays full.
    const unread = request(url, { method: 'POST', headers: session, agent: false });
    // Without a 'response' listener Node would read and discard the body; pausing it stops reading.
    unread.on('response', (res) => res.pause());
    unread.on('error', () => {});
    unread.end(JSON.stringify(batch));
    await waitFor(() => gateway.output().includes('the agent stopped reading its stream'), 'the gateway to cut the stream', 60_000);
    // Every answer still reached the gateway and was recorded; none is left open.
    await waitFor(async () => (await health(gateway)).inFlight === 0, 'every call to be answered', 60_000);
    clearInterval(sampler);
    unread.destroy();
    console.log('slow reader:', JSON.stringify({ calls: CALLS, answerBytes: CALLS * 64 * 1024, limitBytes: LIMIT, gatewayRssMiB: { before: Math.round(rssBefore / 1024), peak: Math.round(peak / 1024) } }));

    const next = await fetch(url, { method: 'POST', headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 'after', method: 'tools/call', params: { name: 'tiny', arguments: {} } }) });
    expect(next.status).toBe(200);
    expect(await next.text()).toContain('"id":"after","result"');
  }, 120_000);
});
