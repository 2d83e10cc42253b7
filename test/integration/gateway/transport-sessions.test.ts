import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli, startGatewayProcess, TSX_IMPORT, type GatewayProcess } from '../../helpers/gateway-process.js';
import { sendRaw } from '../../helpers/raw-http.js';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const PING = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
const UPSTREAM_SECRET = 'upstream-credential-7d1f0c2a';
const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;

/** Starts the header-echo fixture; every request it receives lands in `log` as one JSON line. */
async function startEchoServer(log: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...TSX_IMPORT, join(REPO, 'test/fixtures/header-echo-server.ts'), log], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  return { url: (JSON.parse(first.value as string) as { url: string }).url, child };
}

interface Recorded {
  method: string;
  headers: Record<string, string | string[]>;
  body: string;
}
const recorded = (log: string): Recorded[] => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));

describe('agent sessions and what reaches an upstream', () => {
  let dir: string;
  let log: string;
  let echo: { url: string; child: ChildProcess };
  let gateway: GatewayProcess;
  let headers: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-transport-'));
    log = join(dir, 'requests.jsonl');
    echo = await startEchoServer(log);
    const port = new URL(echo.url).port;
    gateway = await startGatewayProcess(
      {
        servers: {
          echo: { url: echo.url },
          credentialed: { url: echo.url, headers: { Authorization: 'Bearer keychain:upstream-token' } },
          metadata: { url: 'http://169.254.169.254/latest/mcp' },
          metadataDecimal: { url: 'http://2852039166/mcp' },
          unspecified: { url: `http://0.0.0.0:${port}/mcp` },
          unspecifiedAllowed: { url: `http://0.0.0.0:${port}/mcp`, allowLinkLocal: true },
        },
      },
      { AIRLOCK_SECRET_UPSTREAM_TOKEN: UPSTREAM_SECRET },
    );
    headers = { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  });
  afterAll(async () => {
    await gateway?.stop();
    echo?.child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds a session to the token that opened it: another client, or another token of the same client, gets 404', async () => {
    const opened = await sendRaw(gateway.agentUrl('echo'), { headers, body: INITIALIZE });
    const sessionId = opened.headers['mcp-session-id'] as string;
    const session = { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
    const otherClient = (await runCli(['token', 'create', 'other', '--data-dir', gateway.dataDir])).stdout.trim();
    const sameClient = (await runCli(['token', 'create', 'test', '--data-dir', gateway.dataDir])).stdout.trim();
    for (const token of [otherClient, sameClient]) {
      for (const method of ['POST', 'GET', 'DELETE']) {
        const reply = await sendRaw(gateway.agentUrl('echo'), { method, headers: { ...headers, ...session, authorization: `Bearer ${token}` }, body: method === 'POST' ? PING : undefined });
        expect(reply.status, `${method} with another token`).toBe(404);
      }
    }
    expect((await sendRaw(gateway.agentUrl('echo'), { headers: { ...headers, ...session }, body: PING })).status).toBe(200);
  });

  it('never forwards the agent\'s Authorization, cookies or session id upstream; only the configured credential travels', async () => {
    const agentSecrets = { cookie: `airlock_session=${gateway.token}`, 'x-api-key': `key-${gateway.token}` };
    const connect = async (server: string) => {
      const client = new Client({ name: 'header-agent', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(gateway.agentUrl(server), { requestInit: { headers: { Authorization: `Bearer ${gateway.token}`, ...agentSecrets } } });
      await client.connect(transport);
      return { client, sessionId: transport.sessionId! };
    };
    const plain = await connect('echo');
    const credentialed = await connect('credentialed');
    const plainSeen = JSON.parse(textOf(await plain.client.callTool({ name: 'headers', arguments: {} })));
    const credentialedSeen = JSON.parse(textOf(await credentialed.client.callTool({ name: 'headers', arguments: {} })));
    await Promise.all([plain.client.close(), credentialed.client.close()]);

    expect(plainSeen.authorization).toBeUndefined();
    // The server got the credential; echoed back, it reaches the agent cut out.
    expect(credentialedSeen.authorization).toBe('Bearer [SECRET]');
    const requests = recorded(log);
    expect(requests.filter((request) => request.headers.authorization === `Bearer ${UPSTREAM_SECRET}`).length).toBeGreaterThan(0);
    const everything = JSON.stringify(requests);
    expect(everything).not.toContain(gateway.token);
    expect(everything).not.toContain(plain.sessionId);
    expect(everything).not.toContain(credentialed.sessionId);
    for (const request of requests) {
      expect(request.headers.cookie).toBeUndefined();
      expect(request.headers['x-api-key']).toBeUndefined();
      expect([undefined, `Bearer ${UPSTREAM_SECRET}`]).toContain(request.headers.authorization);
    }
    console.log(`transport: ${requests.length} upstream HTTP requests inspected, 0 carried the agent's token, cookie or session id`);
  });

  it('refuses remote servers at link-local or metadata addresses, naming the setting that allows them', async () => {
    for (const server of ['metadata', 'metadataDecimal', 'unspecified']) {
      const client = new Client({ name: 'ssrf-agent', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(gateway.agentUrl(server), { requestInit: { headers: { Authorization: `Bearer ${gateway.token}` } } });
      await expect(client.connect(transport), server).rejects.toThrow(/refused to connect to .*allowLinkLocal/);
      await client.close().catch(() => {});
    }
    const before = recorded(log).length;
    const allowed = await gateway.connect('unspecifiedAllowed');
    expect(JSON.parse(textOf(await allowed.callTool({ name: 'headers', arguments: {} })))).toHaveProperty('host');
    const reached = recorded(log).slice(before);
    expect(reached.length).toBeGreaterThan(0);
    for (const request of reached) expect(request.headers.host).toMatch(/^0\.0\.0\.0:/);
    expect(gateway.output()).toMatch(/refused to connect to 169\.254\.169\.254/);
  });
});

describe('session ids', () => {
  let bare: GatewayProcess;
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  beforeAll(async () => {
    bare = await startGatewayProcess({});
  });
  afterAll(async () => bare?.stop());

  it('gives every session an id of 128 random bits: hex, unique, each bit set about half the time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 256; i++) {
      const reply = await sendRaw(new URL('/mcp', bare.url), { headers: { ...headers, authorization: `Bearer ${bare.token}` }, body: INITIALIZE });
      expect(reply.status).toBe(200);
      ids.push(reply.headers['mcp-session-id'] as string);
      await sendRaw(new URL('/mcp', bare.url), { method: 'DELETE', headers: { ...headers, authorization: `Bearer ${bare.token}`, 'mcp-session-id': ids[i], 'mcp-protocol-version': '2025-06-18' } });
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const ones = Array.from({ length: 128 }, (_, bit) => ids.filter((id) => (parseInt(id[bit >> 2], 16) >> (3 - (bit & 3))) & 1).length);
    // 256 fair coin flips per bit: mean 128, standard deviation 8; ±64 is eight deviations.
    expect(Math.min(...ones)).toBeGreaterThan(64);
    expect(Math.max(...ones)).toBeLessThan(192);
    console.log(`transport: ${ids.length} session ids, ${ids[0].length * 4} bits each, all unique; per-bit share of ones ${(Math.min(...ones) / ids.length).toFixed(2)}–${(Math.max(...ones) / ids.length).toFixed(2)}`);
  });
});
