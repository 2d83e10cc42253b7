import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand, queryStore, runCli, startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';
import { isLoopbackAddress, socketsOf } from '../../helpers/listening-sockets.js';
import { sendRaw, sendRawHead } from '../../helpers/raw-http.js';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** Every door of the gateway: agents (one server, all servers), the control API, health, the UI. */
const ENDPOINTS = ['/mcp', '/servers/probe/mcp', '/control/health', '/healthz', '/ui/', '/'];

/** Host headers a page or a rebinding attacker can make a browser send; none of them is this machine's loopback name. */
const FOREIGN_HOSTS = [
  'evil.example',
  'evil.example:7400',
  '127.0.0.1.evil.example',
  'localhost.evil.example',
  '127.0.0.1.nip.io',
  'localtest.me',
  'localhost.',
  '0.0.0.0',
  '0.0.0.0:7400',
  '[::]',
  '10.0.0.1',
  '192.168.1.1',
  '169.254.169.254',
  'host.docker.internal',
  'xn--80ak6aa92e.com',
  'localhost@evil.example',
  'evil.example#@localhost',
  'localhost:7400:evil',
];

/** Origins of pages that are not served from this machine's loopback. */
const FOREIGN_ORIGINS = [
  'https://evil.example',
  'http://evil.example',
  'https://evil.example:443',
  'null',
  'http://127.0.0.1@evil.example',
  'http://localhost:80@evil.example',
  'http://localhost.evil.example',
  'http://127.0.0.1.nip.io:7400',
  'http://0.0.0.0:7400',
  'http://10.0.0.1',
  'http://evil.example/127.0.0.1',
  'file://',
  'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
  'vscode-webview://1234',
  'ftp://localhost',
  'data:text/html,hi',
  'javascript:alert(1)',
];

describe('the transport refuses what does not come from this machine', () => {
  let gateway: GatewayProcess;
  let base: URL;
  let agentHeaders: Record<string, string>;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') } });
    base = new URL(gateway.url);
    agentHeaders = { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  });
  afterAll(async () => gateway?.stop());

  it('answers 403 to every foreign Host and every foreign Origin, on every endpoint, and records nothing', async () => {
    const sessionsBefore = queryStore<{ n: number }>(gateway.dataDir, 'SELECT count(*) AS n FROM sessions')[0].n;
    const loopbackHost = base.host;
    const cases = [
      ...FOREIGN_HOSTS.map((host) => ({ host })),
      ...FOREIGN_ORIGINS.map((origin) => ({ host: loopbackHost, origin })),
      ...FOREIGN_ORIGINS.slice(0, 5).map((origin) => ({ host: FOREIGN_HOSTS[0], origin })),
    ];
    const refused: string[] = [];
    for (const path of ENDPOINTS) {
      for (const extra of cases) {
        for (const method of ['POST', 'GET', 'OPTIONS']) {
          const reply = await sendRaw(new URL(path, base), { method, headers: { ...agentHeaders, ...extra }, body: method === 'POST' ? INITIALIZE : undefined });
          if (reply.status === 403) refused.push(path);
          else expect.fail(`${method} ${path} with ${JSON.stringify(extra)} answered ${reply.status}`);
        }
      }
    }
    console.log(`transport: ${refused.length} requests with a foreign Host or Origin (${cases.length} header sets × ${ENDPOINTS.length} endpoints × 3 methods), ${refused.length} answered 403`);
    expect(refused).toHaveLength(cases.length * ENDPOINTS.length * 3);
    expect(queryStore<{ n: number }>(gateway.dataDir, 'SELECT count(*) AS n FROM sessions')[0].n).toBe(sessionsBefore);
  });

  it('answers 403 to a request with no Host header at all (HTTP/1.0) and to an empty one', async () => {
    expect(await sendRawHead(base, 'GET /healthz HTTP/1.0')).toBe(403);
    expect(await sendRawHead(base, 'GET /healthz HTTP/1.1\r\nHost: ')).toBe(403);
  });

  it('serves the loopback names, with and without a loopback Origin', async () => {
    const port = base.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      for (const origin of [undefined, 'http://localhost:6274', 'http://127.0.0.1:5173', 'http://[::1]:8080']) {
        const reply = await sendRaw(new URL('/healthz', base), { method: 'GET', headers: { host, ...(origin ? { origin } : {}) } });
        expect(reply.status, `${host} ${origin}`).toBe(200);
      }
    }
  });

  it('answers 401 on every agent endpoint and the control API without a valid token, whatever is sent instead', async () => {
    const controlToken = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
    const { authorization: _, ...anonymous } = agentHeaders;
    const credentials: Array<Record<string, string>> = [
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: `Basic ${Buffer.from(`test:${gateway.token}`).toString('base64')}` },
      { authorization: `Bearer ${gateway.token}x` },
      { authorization: `Bearer ${gateway.token.slice(0, -1)}` },
      { authorization: `Bearer ${gateway.token} extra` },
      { authorization: 'Bearer alk_' },
      { cookie: `token=${gateway.token}` },
      { 'x-api-key': gateway.token },
    ];
    let refused = 0;
    for (const path of ['/mcp', '/servers/probe/mcp', `/mcp?token=${gateway.token}`, `/servers/probe/mcp?access_token=${gateway.token}`]) {
      for (const extra of [...credentials, { authorization: `Bearer ${controlToken}` }]) {
        for (const method of ['POST', 'GET', 'DELETE']) {
          const reply = await sendRaw(new URL(path, base), { method, headers: { ...anonymous, 'mcp-session-id': 'any', ...extra }, body: method === 'POST' ? INITIALIZE : undefined });
          expect(reply.status, `${method} ${path} ${JSON.stringify(extra)}`).toBe(401);
          refused += 1;
        }
      }
    }
    for (const extra of [...credentials, { authorization: `Bearer ${gateway.token}` }]) {
      const reply = await sendRaw(new URL('/control/health', base), { method: 'GET', headers: extra });
      expect(reply.status, `control ${JSON.stringify(extra)}`).toBe(401);
      refused += 1;
    }
    console.log(`transport: ${refused} requests without a valid token for their door, ${refused} answered 401`);
  });

  // /proc is Linux's; elsewhere the socket tables are read differently.
  it.skipIf(process.platform !== 'linux')('listens only on loopback: every socket the gateway holds open for listening is bound to 127.0.0.0/8 or ::1', async () => {
    const client = await gateway.connect('probe');
    await client.callTool({ name: 'echo', arguments: { text: 'while sockets are counted' } });
    const sockets = socketsOf(gateway.child.pid!);
    const listening = sockets.filter((socket) => socket.listening);
    console.log(`transport: gateway pid holds ${sockets.length} sockets, ${listening.length} listening: ${listening.map((s) => `${s.protocol} ${s.address}:${s.port}`).join(', ')}`);
    expect(listening.length).toBeGreaterThan(0);
    expect(listening.filter((socket) => !isLoopbackAddress(socket.address))).toEqual([]);
    expect(listening.map((socket) => socket.port)).toContain(Number(base.port));
  });

  it('keeps every file in its data dir, and a session export, readable by its owner only', async () => {
    const client = await gateway.connect('probe');
    await client.callTool({ name: 'echo', arguments: { text: 'to be exported' } });
    const exported = join(gateway.dataDir, 'export.jsonl');
    // Left world-readable by an earlier export: the new one must not stay readable to others.
    writeFileSync(exported, 'old export\n', { mode: 0o644 });
    const [session] = queryStore<{ id: string }>(gateway.dataDir, 'SELECT id FROM sessions ORDER BY started_at DESC LIMIT 1');
    expect((await runCli(['sessions', 'export', session.id, '--output', exported, '--data-dir', gateway.dataDir])).code).toBe(0);
    const modes = Object.fromEntries(readdirSync(gateway.dataDir).map((name) => [name, (statSync(join(gateway.dataDir, name)).mode & 0o777).toString(8)]));
    console.log(`transport: data dir modes ${JSON.stringify(modes)}`);
    expect(Object.keys(modes)).toEqual(expect.arrayContaining(['control-token', 'runtime.json', 'airlock.db', 'airlock.db-wal', 'export.jsonl']));
    for (const [name, mode] of Object.entries(modes)) expect(`${name} ${mode}`).toBe(`${name} 600`);
    expect((statSync(gateway.dataDir).mode & 0o777).toString(8)).toBe('700');
  });
});

describe('a gateway listening on "localhost"', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ listen: { host: 'localhost', port: 0 } });
  });
  afterAll(async () => gateway?.stop());

  it.skipIf(process.platform !== 'linux')('still binds loopback only', () => {
    const listening = socketsOf(gateway.child.pid!).filter((socket) => socket.listening);
    expect(listening.length).toBeGreaterThan(0);
    expect(listening.filter((socket) => !isLoopbackAddress(socket.address))).toEqual([]);
  });
});
