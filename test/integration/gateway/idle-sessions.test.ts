import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('idle sessions', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, limits: { sessionIdleSeconds: 1 } });
  });
  afterAll(async () => gateway?.stop());

  it('ends a session the agent abandoned, and stops its server', async () => {
    const url = gateway.agentUrl('probe');
    const headers = { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const post = (body: unknown, extra: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
    const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'abandoner', version: '1' } } });
    await init.text();
    const session = { 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-06-18' };
    await (await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, session)).text();
    const who = await (await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'whoami', arguments: {} } }, session)).text();
    const pid = JSON.parse(JSON.parse(/data: (.*)/.exec(who)![1]).result.content[0].text).pid as number;
    expect(isAlive(pid)).toBe(true);

    // No GET stream, no requests: the sweeper ends it.
    await waitFor(() => !isAlive(pid), 'the abandoned session\'s server to stop', 15_000);
    expect((await post({ jsonrpc: '2.0', id: 3, method: 'ping' }, session)).status).toBe(404);
    const db = new Database(join(gateway.dataDir, 'airlock.db'), { readonly: true });
    const row = db.prepare("SELECT end_reason FROM sessions WHERE client_info LIKE '%abandoner%'").get();
    db.close();
    expect(row).toEqual({ end_reason: 'idle' });
  });

  it('keeps a session whose agent holds its stream open', async () => {
    const client = await gateway.connect('probe');
    const first = await client.callTool({ name: 'whoami', arguments: {} });
    await new Promise((r) => setTimeout(r, 3000));
    const second = await client.callTool({ name: 'whoami', arguments: {} });
    const pid = (r: unknown) => JSON.parse((r as { content: Array<{ text: string }> }).content[0].text).pid;
    expect(pid(second)).toBe(pid(first));
  });
});
