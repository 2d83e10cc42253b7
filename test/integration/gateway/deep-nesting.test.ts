import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../../src-gateway/front/json-depth.js';
import { nestedText } from '../../fuzz/json-rpc-arbitraries.js';
import { fixtureCommand, startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';

/**
 * JSON nested thousands of levels deep once took the whole gateway down (a stack overflow while
 * recording it, unhandled). Now the door refuses it from agents, the leg refuses it from servers.
 */
describe('messages nested deeper than the gateway accepts', () => {
  let gateway: GatewayProcess;
  let headers: Record<string, string>;

  beforeAll(async () => {
    // An injected secret turns on the scrubbing of server messages, which encodes each one: deep ones must be refused first.
    gateway = await startGatewayProcess(
      { servers: { deep: { ...fixtureCommand('deep-message-server.ts'), env: { DEEP_TOKEN: 'keychain:deep-token' } } } },
      { AIRLOCK_SECRET_DEEP_TOKEN: 'deep-secret-value' },
    );
    headers = { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  });
  afterAll(async () => gateway?.stop());

  it.each([
    ['just past the limit', MAX_JSON_DEPTH + 1],
    ['10,000 levels deep', 10_000],
  ])('answers 400 to an agent body nested %s, and keeps running', async (_, depth) => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"},"_meta":{"x":${nestedText(depth - 3)}}}}`;
    const reply = await fetch(gateway.agentUrl('deep'), { method: 'POST', headers, body });
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as { error: { message: string } }).error.message).toMatch(`more than ${MAX_JSON_DEPTH} levels`);
    expect(gateway.child.exitCode).toBeNull();
  });

  it('accepts a body nested exactly as deep as the limit', async () => {
    const body = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"x","version":"1"},"_meta":{"x":${nestedText(MAX_JSON_DEPTH - 3)}}}}`;
    const reply = await fetch(gateway.agentUrl('deep'), { method: 'POST', headers, body });
    expect(reply.status).toBe(200);
    await reply.body?.cancel();
  });

  it('answers 400 to a control API body nested 10,000 levels deep', async () => {
    const token = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
    const reply = await fetch(new URL('/control/mask/preview', gateway.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: `{"text":${nestedText(10_000)}}`,
    });
    expect(reply.status).toBe(400);
    expect(gateway.child.exitCode).toBeNull();
  });

  it("turns a server's answer nested 10,000 levels deep into an error for the agent, and stays up", async () => {
    const client = await gateway.connect('deep');
    await expect(client.callTool({ name: 'deep' })).rejects.toThrow(`nests more than ${MAX_JSON_DEPTH} levels deep`);
    expect((await client.callTool({ name: 'echo', arguments: { text: 'after' } })).content).toEqual([{ type: 'text', text: 'after' }]);
    expect(gateway.child.exitCode).toBeNull();
  });

  it('drops a server notification nested that deep and still delivers the answer after it', async () => {
    const client = await gateway.connect('deep');
    const notifications: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => void notifications.push(notification));
    expect((await client.callTool({ name: 'deep_notify' })).content).toEqual([{ type: 'text', text: 'ok' }]);
    expect(notifications).toEqual([]);
    expect(gateway.output()).toMatch(/sent a message that nests more than \d+ levels deep/);
  });
});
