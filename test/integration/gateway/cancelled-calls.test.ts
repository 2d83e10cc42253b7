import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand, readProbeLog, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';
import { connectionsTo } from '../../helpers/listening-sockets.js';
import { sendRaw } from '../../helpers/raw-http.js';
import { startHttpProbe, stopProcess } from '../../load/load-servers.js';

const CANCELLED_UPSTREAM = 30;

const AGENT_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

/**
 * A POST whose whole reply is awaited; the promise is returned at once, since an SSE head with
 * nothing written after it may not reach the client before the stream's first event or its end.
 */
function postUntilEnd(url: URL, headers: Record<string, string>, body: string): Promise<{ contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('close', () => resolve({ contentType: String(res.headers['content-type']), text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// A cancelled call gets no answer from the server, so the gateway itself must end the agent's stream
// for it. It used to stay open, with its connection and objects, until the session ended: in one
// session, 300 cancelled calls held 300 agent connections, and the session never counted as idle.
describe('a call the agent cancels', () => {
  let dir: string;
  let probeLog: string;
  let gateway: GatewayProcess;
  let headers: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-cancel-'));
    probeLog = join(dir, 'probe.jsonl');
    gateway = await startGatewayProcess({ servers: { probe: { ...fixtureCommand('probe-server.ts'), env: { PROBE_LOG: probeLog } } } });
    const auth = { ...AGENT_HEADERS, authorization: `Bearer ${gateway.token}` };
    const opened = await sendRaw(gateway.agentUrl('probe'), { headers: auth, body: INITIALIZE });
    headers = { ...auth, 'mcp-session-id': String(opened.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
    await sendRaw(gateway.agentUrl('probe'), { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  });

  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends its stream once the cancellation arrives, and the session goes on', async () => {
    const url = gateway.agentUrl('probe');
    const call = postUntilEnd(url, headers, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'slow', arguments: { ms: 600_000 } } }));
    await waitFor(() => readProbeLog(probeLog).some((entry) => entry.tool === 'slow'), 'the call to reach the server');

    const cancelled = await sendRaw(url, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7, reason: 'user' } }) });
    expect(cancelled.status).toBe(202);
    // Without the release this never resolves: the server does not answer a cancelled call.
    const reply = await call;
    expect(reply.contentType).toBe('text/event-stream');
    expect(reply.text).not.toContain('"id":7');
    await waitFor(() => readProbeLog(probeLog).some((entry) => entry.cancelled === 'slow'), 'the server to see the cancellation');

    const ping = await sendRaw(url, { headers, body: JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'ping' }) });
    expect(ping.body).toContain('"id":8');
  });

  it('ends its stream on /mcp too, where the call went through the aggregate session', async () => {
    const url = new URL('/mcp', gateway.url);
    const auth = { ...AGENT_HEADERS, authorization: `Bearer ${gateway.token}` };
    const opened = await sendRaw(url, { headers: auth, body: INITIALIZE });
    const session = { ...auth, 'mcp-session-id': String(opened.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
    await sendRaw(url, { headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const slowCalls = () => readProbeLog(probeLog).filter((entry) => entry.tool === 'slow').length;
    const before = slowCalls();
    const call = postUntilEnd(url, session, JSON.stringify({ jsonrpc: '2.0', id: 30, method: 'tools/call', params: { name: 'probe__slow', arguments: { ms: 600_000 } } }));
    await waitFor(() => slowCalls() > before, 'the call to reach the server');
    await sendRaw(url, { headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 30 } }) });
    expect((await call).text).not.toContain('"id":30');
    const cancelled = () => readProbeLog(probeLog).filter((entry) => entry.cancelled === 'slow').length;
    await waitFor(() => cancelled() > 0 && slowCalls() - cancelled() === 0, 'the server to see the cancellation');
  });

  it('ends a batch stream only when its last uncancelled request is answered', async () => {
    const url = gateway.agentUrl('probe');
    const batch = JSON.stringify([
      { jsonrpc: '2.0', id: 20, method: 'tools/call', params: { name: 'slow', arguments: { ms: 600_000 } } },
      { jsonrpc: '2.0', id: 21, method: 'tools/call', params: { name: 'echo', arguments: { text: 'still here' } } },
    ]);
    const slowCalls = () => readProbeLog(probeLog).filter((entry) => entry.tool === 'slow').length;
    const before = slowCalls();
    const call = postUntilEnd(url, headers, batch);
    await waitFor(() => slowCalls() > before, 'the slow call to reach the server');
    await sendRaw(url, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 20 } }) });
    const reply = await call;
    expect(reply.text).toContain('still here');
    expect(reply.text).not.toContain('"id":20');
  });
});

// The server does not answer a cancelled call either, and the gateway's HTTP client would read
// the call's response stream until the session ended: a connection and ~60 KiB per cancelled call.
describe('a call cancelled on its way to a Streamable HTTP server', () => {
  let server: ChildProcess;
  let port: number;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    const probe = await startHttpProbe();
    server = probe.child;
    port = Number(new URL(probe.url).port);
    gateway = await startGatewayProcess({ servers: { remote: { url: probe.url } }, limits: { requestTimeoutSeconds: 3600 } });
  });

  afterAll(async () => {
    await gateway?.stop();
    if (server) await stopProcess(server);
  });

  it('lets go of the response stream and its connection once the cancellation went out', async () => {
    const client = await gateway.connect('remote');
    const pid = gateway.child.pid!;
    const calls = Array.from({ length: CANCELLED_UPSTREAM }, () => new AbortController());
    const settled = calls.map((controller) => client.callTool({ name: 'slow', arguments: { ms: 600_000 } }, undefined, { signal: controller.signal, timeout: 600_000 }).catch(() => 'cancelled'));
    const open = await waitFor(() => connectionsTo(pid, port) >= CANCELLED_UPSTREAM && connectionsTo(pid, port), 'each call to hold a connection to the server');
    for (const controller of calls) controller.abort('the user gave up');
    expect(await Promise.all(settled)).toEqual(calls.map(() => 'cancelled'));
    // What stays is the client's pool of idle connections, not one per cancelled call.
    const left = await waitFor(() => connectionsTo(pid, port) < 5 && connectionsTo(pid, port) + 1, 'the cancelled calls to let go of their connections');
    console.log(`[figures] ${CANCELLED_UPSTREAM} calls cancelled on an HTTP server: connections to it ${open} → ${left - 1}`);
    // The session still works.
    expect(await client.callTool({ name: 'echo', arguments: { text: 'after' } })).toMatchObject({ content: [{ type: 'text', text: 'after' }] });
  });
});
