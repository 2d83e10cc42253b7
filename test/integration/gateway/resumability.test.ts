import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand, startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';

const VERSION = '2025-11-25';

/** Reads SSE events from a fetch response until `stop` says so, then drops the connection. */
async function readEvents(response: Response, stop: (events: Array<{ id?: string; data: string }>) => boolean) {
  const events: Array<{ id?: string; data: string }> = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  while (!stop(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join('\n');
      events.push({ id, data });
    }
  }
  await reader.cancel();
  return events;
}

describe('resumability', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') } });
  });
  afterAll(async () => gateway?.stop());

  it('replays an answer missed while disconnected when the agent resumes with Last-Event-ID', async () => {
    const url = gateway.agentUrl('probe');
    const base = { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const init = await fetch(url, {
      method: 'POST',
      headers: base,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: 'resumer', version: '1' } } }),
    });
    await init.text();
    const headers = { ...base, 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': VERSION };
    await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });

    const call = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow', arguments: { ms: 800 } } }) });
    // Take the priming event's id, then drop the connection before the answer comes.
    const [priming] = await readEvents(call, (events) => events.length >= 1);
    expect(priming.id).toBeTruthy();
    await new Promise((r) => setTimeout(r, 1200));

    const resumed = await fetch(url, { method: 'GET', headers: { ...headers, 'last-event-id': priming.id! } });
    expect(resumed.status).toBe(200);
    const replayed = await readEvents(resumed, (events) => events.some((e) => e.data.includes('"id":2')));
    const answer = JSON.parse(replayed.find((e) => e.data.includes('"id":2'))!.data);
    expect(answer.result.content).toEqual([{ type: 'text', text: 'done' }]);
  });
});
