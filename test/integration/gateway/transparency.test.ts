import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand, listAllTools, readProbeLog, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

const probeLog = join(mkdtempSync(join(tmpdir(), 'probe-')), 'calls.jsonl');
const probe = { ...fixtureCommand('probe-server.ts'), env: { PROBE_LOG: probeLog } };

describe('the gateway passes MCP through unchanged', () => {
  let gateway: GatewayProcess;
  let direct: Client;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe } });
    direct = new Client({ name: 'direct', version: '1.0.0' });
    await direct.connect(new StdioClientTransport({ ...probe, stderr: 'ignore' }));
  });
  afterAll(async () => {
    await direct?.close();
    await gateway?.stop();
  });

  it('lists paginated tools exactly as the server does', async () => {
    const client = await gateway.connect('probe');
    const through = await listAllTools(client);
    const straight = await listAllTools(direct);
    expect(through.pages).toBeGreaterThan(1);
    expect(through).toEqual(straight);
  });

  it('returns tool results, including _meta, exactly as the server does', async () => {
    const client = await gateway.connect('probe');
    const args = { name: 'echo', arguments: { text: 'hello ✓ "quoted"' } };
    expect(await client.callTool(args)).toEqual(await direct.callTool(args));
  });

  it('relays progress and log notifications of a call while it runs', async () => {
    const client = await gateway.connect('probe');
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params.data));
    const progress: number[] = [];
    const result = await client.callTool({ name: 'progress', arguments: {} }, undefined, { onprogress: (p) => void progress.push(p.progress) });
    expect(result.content).toEqual([{ type: 'text', text: 'progressed' }]);
    expect(progress).toEqual([1, 2, 3]);
    expect(logs).toEqual(['step 1', 'step 2', 'step 3']);
  });

  it('relays a server notification sent outside any call on the standalone stream', async () => {
    const client = await gateway.connect('probe');
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
    // Give the client's GET stream a moment to open before the server speaks unprompted.
    await new Promise((r) => setTimeout(r, 300));
    await client.callTool({ name: 'notify_changed', arguments: {} });
    await waitFor(() => changed > 0, 'tools/list_changed');
    expect(changed).toBe(1);
  });

  it('gives each agent session its own server process', async () => {
    const [a, b] = await Promise.all([gateway.connect('probe'), gateway.connect('probe')]);
    const who = async (c: Client) => JSON.parse(((await c.callTool({ name: 'whoami', arguments: {} })).content as Array<{ text: string }>)[0].text);
    const [first, second] = [await who(a), await who(b)];
    expect(first.pid).not.toBe(second.pid);
    expect((await who(a)).calls).toBe(2);
    expect((await who(b)).calls).toBe(2);
  });

  it('passes cancellation through to the server', async () => {
    const client = await gateway.connect('probe');
    const controller = new AbortController();
    const call = client.callTool({ name: 'slow', arguments: { ms: 20_000 } }, undefined, { signal: controller.signal });
    await waitFor(() => readProbeLog(probeLog).some((e) => e.tool === 'slow'), 'the slow call to reach the server');
    controller.abort('user cancelled');
    await expect(call).rejects.toThrow();
    await waitFor(() => readProbeLog(probeLog).some((e) => e.cancelled === 'slow'), 'the server to see the cancellation');
  });
});
