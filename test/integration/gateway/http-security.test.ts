import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand, runCli, startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';
import { sendRaw as send } from '../../helpers/raw-http.js';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

describe('the HTTP front refuses what it must', () => {
  let gateway: GatewayProcess;
  let url: URL;
  let headers: Record<string, string>;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, limits: { maxBodyBytes: 64 * 1024 } });
    url = gateway.agentUrl('probe');
    headers = { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  });
  afterAll(async () => gateway?.stop());

  it.each([
    ['a foreign Host (DNS rebinding)', { host: 'evil.example:7400' }],
    ['a Host that only starts like loopback', { host: '127.0.0.1.evil.example' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['an Origin of "null"', { origin: 'null' }],
    ['an Origin with a loopback-looking user part', { origin: 'http://127.0.0.1@evil.example' }],
  ])('answers 403 to %s', async (_, extra) => {
    const reply = await send(url, { headers: { ...headers, ...extra }, body: INITIALIZE });
    expect(reply.status).toBe(403);
    expect(JSON.parse(reply.body).error.message).toMatch(/Forbidden/);
  });

  it('accepts a loopback Origin and answers its CORS preflight', async () => {
    const preflight = await send(url, { method: 'OPTIONS', headers: { origin: 'http://localhost:6274' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:6274');
    expect(preflight.headers['access-control-allow-headers']).toContain('mcp-session-id');
  });

  it('answers 401 without a token, and with an unknown one', async () => {
    const { authorization: _, ...anonymous } = headers;
    const none = await send(url, { headers: anonymous, body: INITIALIZE });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(JSON.parse(none.body).error.message).toMatch(/airlock token create/);
    const wrong = await send(url, { headers: { ...headers, authorization: 'Bearer alk_not-a-real-token' }, body: INITIALIZE });
    expect(wrong.status).toBe(401);
  });

  it('answers 401 to a token after it is revoked', async () => {
    const created = await runCli(['token', 'create', 'short-lived', '--config', gateway.configPath, '--data-dir', gateway.dataDir]);
    const token = created.stdout.trim();
    expect((await send(url, { headers: { ...headers, authorization: `Bearer ${token}` }, body: INITIALIZE })).status).toBe(200);
    expect((await runCli(['token', 'revoke', 'short-lived', '--data-dir', gateway.dataDir])).code).toBe(0);
    expect((await send(url, { headers: { ...headers, authorization: `Bearer ${token}` }, body: INITIALIZE })).status).toBe(401);
  });

  it('answers 404 for an unknown server and an unknown path', async () => {
    const unknown = await send(gateway.agentUrl('nope'), { headers, body: INITIALIZE });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.message).toMatch(/Unknown server "nope" \(servers: probe\)/);
    expect((await send(new URL('/elsewhere', url), { headers, body: INITIALIZE })).status).toBe(404);
  });

  it('answers 404 for an unknown session, and for a session that belongs to another client', async () => {
    const unknown = await send(url, { headers: { ...headers, 'mcp-session-id': 'no-such-session' }, body: INITIALIZE });
    expect(unknown.status).toBe(404);
    const opened = await send(url, { headers, body: INITIALIZE });
    const sessionId = opened.headers['mcp-session-id'] as string;
    expect(sessionId).toBeTruthy();
    const other = (await runCli(['token', 'create', 'other', '--data-dir', gateway.dataDir])).stdout.trim();
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    const stolen = await send(url, { headers: { ...headers, authorization: `Bearer ${other}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, body: ping });
    expect(stolen.status).toBe(404);
  });

  it('answers 400 with a JSON-RPC parse error to malformed JSON', async () => {
    const reply = await send(url, { headers, body: '{"jsonrpc": "2.0", "id": 1, "method": ' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).error.code).toBe(-32700);
  });

  it('answers 400 to a first message that is not initialize', async () => {
    const reply = await send(url, { headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(reply.status).toBe(400);
  });

  it('answers 413 to a body over the configured limit', async () => {
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(100 * 1024) } });
    expect((await send(url, { headers, body: huge })).status).toBe(413);
  });

  it('answers 415 to a body that is not JSON', async () => {
    expect((await send(url, { headers: { ...headers, 'content-type': 'text/plain' }, body: INITIALIZE })).status).toBe(415);
  });

  it('answers 400 to a GET or DELETE without a session', async () => {
    expect((await send(url, { method: 'GET', headers })).status).toBe(400);
    expect((await send(url, { method: 'DELETE', headers })).status).toBe(400);
  });

  it('keeps serving after all of the above', async () => {
    const client = await gateway.connect('probe');
    expect((await client.callTool({ name: 'echo', arguments: { text: 'still here' } })).content).toEqual([{ type: 'text', text: 'still here' }]);
  });
});

describe('protocol versions', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') } });
  });
  afterAll(async () => gateway?.stop());

  it.each(['2025-11-25', '2025-06-18', '2025-03-26'])('serves a client that speaks %s', async (version) => {
    const url = gateway.agentUrl('probe');
    const headers = { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await send(url, { headers, body: INITIALIZE.replace('2025-06-18', version) });
    expect(init.status).toBe(200);
    expect(init.body).toContain(`"protocolVersion":"${version}"`);
    const session = { ...headers, 'mcp-session-id': init.headers['mcp-session-id'] as string, 'mcp-protocol-version': version };
    expect((await send(url, { headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })).status).toBe(202);
    const list = await send(url, { headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    expect(list.status).toBe(200);
    expect(list.body).toContain('"name":"echo"');
  });
});
