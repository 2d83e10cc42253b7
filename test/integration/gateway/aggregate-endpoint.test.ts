import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ListRootsRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, type PendingApprovalView } from '../../helpers/control-client.js';
import { AIRLOCK_BIN, REPO, fixtureCommand, listAllTools, queryStore, readProbeLog, runCli, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/;
const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

describe('the aggregate endpoint /mcp', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'airlock-aggregate-'));
  const probeLog = join(scratch, 'probe-calls.jsonl');
  let gateway: GatewayProcess;
  let agent: Client;
  const clients: Client[] = [];

  /** An SDK client on `/mcp` (the helper's `connect` only knows per-server endpoints). */
  async function connectAggregate(name: string, options?: ClientOptions): Promise<Client> {
    const client = new Client({ name, version: '1.0.0' }, options);
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', gateway.url), {
      requestInit: { headers: { Authorization: `Bearer ${gateway.token}` } },
    }));
    clients.push(client);
    return client;
  }
  const post = (path: string, headers: Record<string, string>, body: unknown = INITIALIZE) => fetch(new URL(path, gateway.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });

  beforeAll(async () => {
    const policy = join(scratch, 'policy.json');
    writeFileSync(policy, JSON.stringify({
      rules: [
        { id: 'no-drop', match: { tool: 'echo', arguments: [{ pointer: '/text', regex: '(?i)\\bdrop\\b' }] }, action: 'deny', reason: 'No dropping' },
        { id: 'approve-delete', match: { server: 'demo', tool: 'delete_customer' }, action: 'approve', reason: 'A human decides' },
      ],
    }));
    gateway = await startGatewayProcess({
      policy,
      servers: {
        probe: { ...fixtureCommand('probe-server.ts'), env: { PROBE_LOG: probeLog } },
        demo: { command: 'airlock', args: ['demo-server'] },
        // "a" + "b__c" and "a__b" + "c" are both "a__b__c" on /mcp.
        a: fixtureCommand('named-tools-server.ts', 'a', 'b__c', 'solo', 'roots'),
        a__b: fixtureCommand('named-tools-server.ts', 'a__b', 'c', 'roots_too'),
        broken: { command: join(scratch, 'no-such-server') },
      },
    });
    agent = await connectAggregate('aggregate-agent');
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('introduces itself as Airlock, offering tools, prompts and resources', () => {
    expect(agent.getServerVersion()?.name).toBe('airlock');
    expect(agent.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } });
  });

  it('lists every server\'s tools as <server>__<tool>, all pages included', async () => {
    const { names } = await listAllTools(agent);
    // The probe server lists 12 tools in pages of 5: the endpoint follows its cursors.
    expect(names.filter((name) => name.startsWith('probe__'))).toHaveLength(12);
    expect(names).toEqual(expect.arrayContaining(['probe__echo', 'demo__get_customer', 'demo__run_sql', 'a__solo']));
  });

  it('lists prompts, resources and templates with prefixed names, resources keeping their URIs', async () => {
    expect((await agent.listPrompts()).prompts.map((p) => p.name)).toEqual(['demo__draft_reply']);
    const { resources } = await agent.listResources();
    expect(resources.length).toBeGreaterThan(0);
    expect(resources[0].uri).toMatch(/^customer:\/\//);
    expect(resources[0].name).toMatch(/^demo__/);
    expect((await agent.listResourceTemplates()).resourceTemplates.map((t) => [t.name, t.uriTemplate])).toEqual([['demo__customer', 'customer://{id}']]);
  });

  it('leaves out a server that fails to start, and serves the others', async () => {
    const { names } = await listAllTools(agent);
    expect(names.some((name) => name.startsWith('broken__'))).toBe(false);
    expect(agent.getInstructions()).not.toContain('"broken"');
    expect(gateway.output()).toMatch(/server "broken" left out/);
    await expect(agent.callTool({ name: 'broken__anything', arguments: {} })).rejects.toThrow(/Unknown name "broken__anything"/);
  });

  it('routes a call to the server its prefix names and returns the answer', async () => {
    expect(textOf(await agent.callTool({ name: 'probe__echo', arguments: { text: 'through /mcp' } }))).toBe('through /mcp');
    expect(textOf(await agent.callTool({ name: 'a__solo', arguments: {} }))).toBe('a:solo');
    const prompt = await agent.getPrompt({ name: 'demo__draft_reply', arguments: { customer_id: 'cus_0001', topic: 'billing' } });
    expect(prompt.messages).toHaveLength(2);
  });

  it('denies through /mcp with the rule written for the server\'s own tool name', async () => {
    const result = await agent.callTool({ name: 'probe__echo', arguments: { text: 'drop everything' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Airlock blocked this call: No dropping (rule no-drop)');
    const [denied] = queryStore<{ server: string; rule_id: string; tool: string }>(gateway.dataDir,
      "SELECT s.server, m.rule_id, m.tool FROM messages m JOIN sessions s ON s.id = m.session_id WHERE m.outcome = 'denied'");
    expect(denied).toEqual({ server: 'probe', rule_id: 'no-drop', tool: 'echo' });
  });

  it('holds a call for approval under the server\'s own names, and lets it through once allowed', async () => {
    const call = agent.callTool({ name: 'demo__delete_customer', arguments: { id: 'cus_0050' } });
    const held = await waitFor(async () => (await control<PendingApprovalView[]>(gateway, 'GET', '/control/approvals')).data.find((p) => p.tool === 'delete_customer'), 'the call to be held');
    expect(held).toMatchObject({ server: 'demo', client: 'test', ruleId: 'approve-delete' });
    expect((await runCli(['approvals', 'allow', held.id, '--data-dir', gateway.dataDir])).code).toBe(0);
    expect(textOf(await call)).toMatch(/^Deleted customer cus_0050/);
  });

  it('masks what a server answers, in tool results and resources', async () => {
    const result = await agent.callTool({ name: 'demo__get_customer', arguments: { id: 'cus_0001' } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('cus_0001');
    expect(textOf(result)).not.toMatch(EMAIL);
    const read = await agent.readResource({ uri: 'customer://cus_0002' });
    expect(JSON.stringify(read.contents)).toContain('cus_0002');
    expect(JSON.stringify(read.contents)).not.toMatch(EMAIL);
  });

  it('records each server as its own session of the agent\'s client, under the server\'s own names', async () => {
    const sessions = queryStore<{ id: string; server: string; client: string; end_reason: string | null }>(gateway.dataDir,
      "SELECT id, server, client, end_reason FROM sessions WHERE client_info LIKE '%aggregate-agent%' ORDER BY server");
    expect(sessions.map((s) => [s.server, s.client])).toEqual([['a', 'test'], ['a__b', 'test'], ['broken', 'test'], ['demo', 'test'], ['probe', 'test']]);
    expect(sessions.find((s) => s.server === 'broken')?.end_reason).toMatch(/^server failed to start/);
    const probe = sessions.find((s) => s.server === 'probe')!;
    const calls = queryStore<{ tool: string }>(gateway.dataDir, "SELECT tool FROM messages WHERE session_id = ? AND method = 'tools/call' AND direction = 'to-server'", probe.id);
    expect(calls.map((c) => c.tool)).toContain('echo');
  });

  it('refuses a name two servers offer instead of picking one', async () => {
    const { names } = await listAllTools(agent);
    expect(names).not.toContain('a__b__c');
    const refused = agent.callTool({ name: 'a__b__c', arguments: {} });
    await expect(refused).rejects.toThrow(/"a__b__c" is offered by more than one server \("a", "a__b"\)/);
  });

  it('names the connected servers when a prefix is unknown', async () => {
    await expect(agent.callTool({ name: 'nosuch__echo', arguments: {} })).rejects.toThrow(/connected servers are .*"probe"/);
  });

  it('guards /mcp like the per-server endpoints: token, Origin, and sessions bound to client and endpoint', async () => {
    expect((await post('/mcp', { authorization: 'Bearer alk_wrong' })).status).toBe(401);
    expect((await post('/mcp', { authorization: `Bearer ${gateway.token}`, origin: 'https://evil.example' })).status).toBe(403);

    const other = await runCli(['token', 'create', 'other', '--config', gateway.configPath, '--data-dir', gateway.dataDir]);
    const sessionId = (agent.transport as StreamableHTTPClientTransport).sessionId!;
    const ping = { jsonrpc: '2.0', id: 9, method: 'ping' };
    const asOther = await post('/mcp', { authorization: `Bearer ${other.stdout.trim()}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, ping);
    expect(asOther.status).toBe(404);
    // The same client's session of /mcp is unknown on a per-server endpoint, and the other way round.
    const onServer = await post('/servers/probe/mcp', { authorization: `Bearer ${gateway.token}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, ping);
    expect(onServer.status).toBe(404);
    const perServer = await gateway.connect('probe');
    const perServerId = (perServer.transport as StreamableHTTPClientTransport).sessionId!;
    const onAggregate = await post('/mcp', { authorization: `Bearer ${gateway.token}`, 'mcp-session-id': perServerId, 'mcp-protocol-version': '2025-06-18' }, ping);
    expect(onAggregate.status).toBe(404);
  });

  it('bridges `airlock connect` without a server name to /mcp', async () => {
    const client = new Client({ name: 'stdio-aggregate', version: '1.0.0' });
    await client.connect(new StdioClientTransport({
      command: process.execPath,
      args: [AIRLOCK_BIN, 'connect', '--data-dir', gateway.dataDir],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AIRLOCK_TOKEN: gateway.token },
      cwd: REPO,
      stderr: 'pipe',
    }));
    clients.push(client);
    expect(textOf(await client.callTool({ name: 'probe__echo', arguments: { text: 'via stdio' } }))).toBe('via stdio');
  });

  it('relays progress of a call, and passes the agent\'s cancellation to the server that has the call', async () => {
    const progress: number[] = [];
    await agent.callTool({ name: 'probe__progress', arguments: {} }, undefined, { onprogress: (p) => void progress.push(p.progress) });
    expect(progress).toEqual([1, 2, 3]);
    const controller = new AbortController();
    const call = agent.callTool({ name: 'probe__slow', arguments: { ms: 20_000 } }, undefined, { signal: controller.signal });
    await waitFor(() => readProbeLog(probeLog).some((e) => e.tool === 'slow'), 'the slow call to reach the server');
    controller.abort('user cancelled');
    await expect(call).rejects.toThrow();
    await waitFor(() => readProbeLog(probeLog).some((e) => e.cancelled === 'slow'), 'the server to see the cancellation');
  });

  it('passes a list change on once, until the agent lists again', async () => {
    let changed = 0;
    agent.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
    await listAllTools(agent);
    // The notification travels on the call's stream, so it has arrived when the call's answer has.
    await agent.callTool({ name: 'probe__notify_changed', arguments: {} });
    expect(changed).toBe(1);
    await agent.callTool({ name: 'probe__notify_changed', arguments: {} });
    expect(changed).toBe(1);
    await listAllTools(agent);
    await agent.callTool({ name: 'probe__notify_changed', arguments: {} });
    expect(changed).toBe(2);
  });

  it('gives two servers\' requests to the agent their own ids, and each server its own answer', async () => {
    const client = await connectAggregate('roots-agent', { capabilities: { roots: {} } });
    let asked = 0;
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: `file:///root-${++asked}` }] }));
    // Both servers number their first request to the agent alike; each must still get an answer.
    // (Different tool names: one name on two servers is held by tool pinning as shadowing.)
    const answers = await Promise.all([
      client.callTool({ name: 'a__roots', arguments: {} }),
      client.callTool({ name: 'a__b__roots_too', arguments: {} }),
    ]);
    expect(answers.map(textOf).sort()).toEqual([expect.stringMatching(/^a:\[\{"uri":"file:\/\/\/root-\d"\}\]$/), expect.stringMatching(/^a__b:\[\{"uri":"file:\/\/\/root-\d"\}\]$/)]);
    expect(asked).toBe(2);
  });

  it('ends every server\'s session when the agent ends its own', async () => {
    const client = await connectAggregate('ending-agent');
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    const ended = await waitFor(() => {
      const rows = queryStore<{ end_reason: string | null }>(gateway.dataDir, "SELECT end_reason FROM sessions WHERE client_info LIKE '%ending-agent%' AND server != 'broken'");
      return rows.length === 4 && rows.every((row) => row.end_reason !== null) && rows;
    }, 'the legs to end');
    expect(ended.map((row) => row.end_reason)).toEqual(Array(4).fill('closed by agent'));
  });

  it('drops the leg of a removed connection and keeps serving the others', async () => {
    const extra = fixtureCommand('named-tools-server.ts', 'extra', 'x');
    expect((await control(gateway, 'POST', '/control/connections', { name: 'extra', server: extra })).ok).toBe(true);
    const client = await connectAggregate('removal-agent');
    expect(textOf(await client.callTool({ name: 'extra__x', arguments: {} }))).toBe('extra:x');
    const openOn = async (name: string) => (await control<Array<{ name: string; openSessions: number }>>(gateway, 'GET', '/control/connections')).data.find((c) => c.name === name)?.openSessions;
    expect(await openOn('extra')).toBe(1);

    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void (changed += 1));
    await listAllTools(client);
    expect((await control(gateway, 'DELETE', '/control/connections/extra')).ok).toBe(true);
    await waitFor(async () => (await openOn('extra')) === undefined && changed === 1, 'the leg to end and the agent to hear of it');
    await expect(client.callTool({ name: 'extra__x', arguments: {} })).rejects.toThrow(/"extra" that offered "extra__x" is no longer connected/);
    expect(textOf(await client.callTool({ name: 'probe__echo', arguments: { text: 'still here' } }))).toBe('still here');
    const [leg] = queryStore<{ end_reason: string }>(gateway.dataDir, "SELECT end_reason FROM sessions WHERE server = 'extra' AND client_info LIKE '%removal-agent%'");
    expect(leg.end_reason).toBe('connection removed');
  });
});

describe('masking tokens on /mcp', () => {
  let gateway: GatewayProcess;
  let agent: Client;

  beforeAll(async () => {
    // Two servers that know the same customers.
    gateway = await startGatewayProcess({ servers: { crm: { command: 'airlock', args: ['demo-server'] }, billing: { command: 'airlock', args: ['demo-server'] } } });
    agent = new Client({ name: 'tokens-agent', version: '1.0.0' });
    await agent.connect(new StreamableHTTPClientTransport(new URL('/mcp', gateway.url), { requestInit: { headers: { Authorization: `Bearer ${gateway.token}` } } }));
  }, 60_000);
  afterAll(async () => {
    await agent?.close().catch(() => {});
    await gateway?.stop();
  });

  it('give one person the same token whichever server named them', async () => {
    // A second server's same-named tool is held as shadowing the first's until a person approves it.
    await agent.listTools();
    const held = await waitFor(async () => (await control<Array<{ name: string; heldTools: Array<{ tool: string }> }>>(gateway, 'GET', '/control/connections')).data
      .find((connection) => connection.heldTools.some((tool) => tool.tool === 'get_customer')), 'the shadowing tool to be held');
    expect((await control(gateway, 'POST', `/control/connections/${held.name}/tools/get_customer/approve`)).ok).toBe(true);
    const emailToken = (text: string) => /<email_\d+>/.exec(text)?.[0];
    const fromCrm = emailToken(textOf(await agent.callTool({ name: 'crm__get_customer', arguments: { id: 'cus_0007' } })));
    const fromBilling = emailToken(textOf(await agent.callTool({ name: 'billing__get_customer', arguments: { id: 'cus_0007' } })));
    const other = emailToken(textOf(await agent.callTool({ name: 'billing__get_customer', arguments: { id: 'cus_0008' } })));
    expect(fromCrm, 'an email token').toBeDefined();
    expect(fromBilling).toBe(fromCrm);
    expect(other).not.toBe(fromCrm);
  });
});
