import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control } from '../../helpers/control-client.js';
import { fixtureCommand, listAllTools, readProbeLog, startGatewayProcess, waitFor, queryStore, type GatewayProcess } from '../../helpers/gateway-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'airlock-policy-'));
const probeLog = join(scratch, 'calls.jsonl');
const probe = { ...fixtureCommand('probe-server.ts'), env: { PROBE_LOG: probeLog } };
const policyFile = join(scratch, 'policy.json');

const POLICY = {
  rules: [
    { id: 'deny-drop', match: { tool: 'echo', arguments: [{ pointer: '/text', regex: '(?i)\\bdrop\\b' }] }, action: 'deny', reason: 'No dropping through echo' },
    { id: 'never-crash', match: { tool: 'crash' }, action: 'deny', reason: 'Crashing is not allowed' },
    { id: 'ask-whoami', match: { tool: 'whoami' }, action: 'approve', reason: 'Identity checks need a human', timeoutSeconds: 30 },
    { id: 'ask-slow-briefly', match: { tool: 'slow' }, action: 'approve', reason: 'Slow calls need a human', timeoutSeconds: 1 },
  ],
};

const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;
const serverSaw = (tool: string) => readProbeLog(probeLog).filter((e) => e.tool === tool).length;

describe('policy enforcement, end to end', () => {
  let gateway: GatewayProcess;
  const query = <T>(sql: string, ...params: unknown[]) => queryStore<T>(gateway.dataDir, sql, ...params);
  const pending = async () => (await control<Array<{ id: string; tool: string; ruleId: string }>>(gateway, 'GET', '/control/approvals')).data;

  beforeAll(async () => {
    writeFileSync(policyFile, JSON.stringify(POLICY));
    gateway = await startGatewayProcess({ servers: { probe }, policy: policyFile });
  });
  afterAll(async () => gateway?.stop());

  it('answers a denied tools/call with a tool error naming the rule, and never forwards it', async () => {
    const client = await gateway.connect('probe');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'please DROP the table' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Airlock blocked this call: No dropping through echo (rule deny-drop)');
    expect(readProbeLog(probeLog).some((e) => String((e.arguments as { text?: string }).text).includes('DROP'))).toBe(false);
    const [row] = query<{ decision: string; rule_id: string; outcome: string }>("SELECT decision, rule_id, outcome FROM messages WHERE body LIKE '%DROP the table%' AND direction = 'to-server'");
    expect(row).toEqual({ decision: 'deny', rule_id: 'deny-drop', outcome: 'denied' });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'harmless' } }))).toBe('harmless');
  });

  it('hides from tools/list a tool the policy never allows', async () => {
    const client = await gateway.connect('probe');
    const { names } = await listAllTools(client);
    expect(names).not.toContain('crash');
    expect(names).toContain('echo'); // denied only for some arguments
    expect(names).toContain('whoami'); // needs approval, so it may be called
  });

  it('holds a call for approval and forwards it once a person allows it', async () => {
    const client = await gateway.connect('probe');
    const before = serverSaw('whoami');
    const call = client.callTool({ name: 'whoami', arguments: {} });
    const approvals = await waitForPending(pending);
    expect(approvals).toMatchObject([{ tool: 'whoami', ruleId: 'ask-whoami' }]);
    expect(serverSaw('whoami')).toBe(before);
    expect((await control(gateway, 'POST', `/control/approvals/${approvals[0].id}/decision`, { decision: 'allow-once' })).ok).toBe(true);
    expect(JSON.parse(textOf(await call)).calls).toBeGreaterThan(0);
    expect(serverSaw('whoami')).toBe(before + 1);
    // First answer wins: a second decision is refused.
    expect((await control(gateway, 'POST', `/control/approvals/${approvals[0].id}/decision`, { decision: 'deny' })).status).toBe(404);
    const [record] = query<{ decision: string; channel: string }>('SELECT decision, channel FROM approvals WHERE id = ?', approvals[0].id);
    expect(record).toEqual({ decision: 'allow-once', channel: 'control-api' });
  });

  it('tells the agent a person denied the call, with their reason', async () => {
    const client = await gateway.connect('probe');
    const call = client.callTool({ name: 'whoami', arguments: {} });
    const [held] = await waitForPending(pending);
    await control(gateway, 'POST', `/control/approvals/${held.id}/decision`, { decision: 'deny', reason: 'not today' });
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Airlock blocked this call: A person denied this call: not today (rule ask-whoami)');
  });

  it('denies a held call when nobody answers in time', async () => {
    const client = await gateway.connect('probe');
    const before = serverSaw('slow');
    const result = await client.callTool({ name: 'slow', arguments: { ms: 1 } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Nobody approved this call in time \(rule ask-slow-briefly\)/);
    expect(serverSaw('slow')).toBe(before);
  });

  it('withdraws the approval when the agent cancels the call', async () => {
    const client = await gateway.connect('probe');
    const controller = new AbortController();
    const call = client.callTool({ name: 'whoami', arguments: {} }, undefined, { signal: controller.signal });
    const [held] = await waitForPending(pending);
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await waitFor(async () => (await pending()).length === 0, 'the approval to be withdrawn');
    await waitFor(() => query<{ decision: string }>('SELECT decision FROM approvals WHERE id = ?', held.id)[0]?.decision === 'withdrawn', 'the withdrawal to be recorded');
  });

  it('allows the rest of the session after "allow for this session"', async () => {
    const client = await gateway.connect('probe');
    const first = client.callTool({ name: 'whoami', arguments: {} });
    const [held] = await waitForPending(pending);
    await control(gateway, 'POST', `/control/approvals/${held.id}/decision`, { decision: 'allow-session' });
    await first;
    const second = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.parse(textOf(second)).calls).toBe(2);
    expect(await pending()).toEqual([]);
  });

  it('asks in the agent\'s own UI through MCP elicitation when the client supports it', async () => {
    const { ElicitRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
    const client = await gateway.connect('probe', { clientOptions: { capabilities: { elicitation: {} } } });
    const asked: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { decision: 'allow-once' } };
    });
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(JSON.parse(textOf(result)).calls).toBe(1);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatch(/allow whoami on "probe"\?[\s\S]*Rule ask-whoami: Identity checks need a human/);
    const [record] = query<{ channel: string }>("SELECT channel FROM approvals WHERE channel = 'elicitation'");
    expect(record).toEqual({ channel: 'elicitation' });
  });
});

async function waitForPending<T>(pending: () => Promise<T[]>): Promise<T[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const list = await pending();
    if (list.length > 0) return list;
    if (Date.now() > deadline) throw new Error('no approval became pending');
    await new Promise((r) => setTimeout(r, 50));
  }
}
