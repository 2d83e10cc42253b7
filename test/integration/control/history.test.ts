import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallView, HealthView, MessageView, SessionView, StatsView } from '../../../src-gateway/control/contract.js';
import { control } from '../../helpers/control-client.js';
import { fixtureCommand, REPO, runCli, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'airlock-history-'));
const policyFile = join(scratch, 'policy.json');
const POLICY = {
  rules: [
    { id: 'no-drop', match: { tool: 'echo', arguments: [{ pointer: '/text', regex: '(?i)\\bdrop\\b' }] }, action: 'deny', reason: 'No dropping' },
    { id: 'ask-whoami', match: { tool: 'whoami' }, action: 'approve', reason: 'Identity checks need a human', timeoutSeconds: 30 },
  ],
};

describe('history through the control API', () => {
  let gateway: GatewayProcess;
  let client: Client;
  let sessionId: string;
  const get = <T>(path: string) => control<T>(gateway, 'GET', path);

  beforeAll(async () => {
    writeFileSync(policyFile, JSON.stringify(POLICY));
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, policy: policyFile });
    client = await gateway.connect('probe', { name: 'history-agent' });
    await client.callTool({ name: 'echo', arguments: { text: 'hello history' } });
    await client.callTool({ name: 'echo', arguments: { text: 'please drop the table' } });
    await client.callTool({ name: 'echo', arguments: { text: 'write to bob.smith@example.com' } });
    sessionId = (await get<{ items: SessionView[] }>('/control/sessions')).data.items[0].id;
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses every history route without the control token', async () => {
    for (const path of ['/control/sessions', '/control/activity', '/control/stats', '/control/health', `/control/sessions/${sessionId}/export`]) {
      const response = await fetch(new URL(path, gateway.url));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, code: 'unauthorized' });
      const wrong = await fetch(new URL(path, gateway.url), { headers: { authorization: `Bearer ${gateway.token}` } });
      expect(wrong.status).toBe(401);
    }
  });

  it('answers a bad query with 400 and a message naming the field', async () => {
    expect(await get('/control/sessions?limit=0')).toMatchObject({ status: 400, ok: false, message: expect.stringContaining('query.limit') });
    expect(await get('/control/sessions?decision=maybe')).toMatchObject({ status: 400, message: expect.stringContaining('query.decision') });
    expect(await get('/control/sessions?cursor=made-up')).toMatchObject({ status: 400, message: expect.stringContaining('query.cursor') });
    expect(await get('/control/sessions?sort=asc')).toMatchObject({ status: 400, message: expect.stringContaining('sort') });
    expect(await get('/control/activity?before=-3')).toMatchObject({ status: 400, message: expect.stringContaining('query.before') });
    expect(await get('/control/stats?minutes=0')).toMatchObject({ status: 400, message: expect.stringContaining('query.minutes') });
    expect(await get(`/control/sessions/${sessionId}/messages?after=x`)).toMatchObject({ status: 400, message: expect.stringContaining('query.after') });
  });

  it('shows recent calls with what became of each, and a held call only as pending', async () => {
    const held = client.callTool({ name: 'whoami', arguments: {} });
    const pending = await waitFor(async () => {
      const { data } = await get<{ items: CallView[]; pending: Array<{ id: string; tool: string }> }>('/control/activity');
      return data.pending.length > 0 && data;
    }, 'the held call');
    expect(pending.pending).toMatchObject([{ tool: 'whoami' }]);
    expect(pending.items.some((call) => call.tool === 'whoami')).toBe(false);
    await control(gateway, 'POST', `/control/approvals/${pending.pending[0].id}/decision`, { decision: 'allow-once' });
    await held;

    const { data } = await get<{ items: CallView[]; pending: unknown[] }>('/control/activity?limit=50');
    expect(data.pending).toEqual([]);
    const tools = data.items.filter((call) => call.method === 'tools/call');
    expect(tools.map((call) => [call.tool, call.status, call.decision])).toEqual([
      ['whoami', 'allowed', 'approve'],
      ['echo', 'masked', 'allow'],
      ['echo', 'denied', 'deny'],
      ['echo', 'allowed', 'allow'],
    ]);
    expect(tools[1]).toMatchObject({ sessionId, server: 'probe', client: 'test', detectors: ['email'], durationMs: expect.any(Number) });
    expect(tools[2]).toMatchObject({ ruleId: 'no-drop' });

    const older = await get<{ items: CallView[] }>(`/control/activity?limit=2&before=${tools[1].id}`);
    expect(older.data.items.map((call) => call.id)).toEqual([tools[2].id, tools[3].id]);
  });

  it('lists, filters and searches sessions, and finds one by a prefix of its id', async () => {
    const other = await gateway.connect('probe', { name: 'quiet-agent' });
    await other.listTools();
    const { data } = await get<{ items: SessionView[]; nextCursor: string | null }>('/control/sessions');
    expect(data.items.map((session) => session.agent)).toEqual(['quiet-agent 1.0.0', 'history-agent 1.0.0']);
    const mine = data.items[1];
    expect(mine).toMatchObject({ id: sessionId, server: 'probe', client: 'test', endedAt: null, deniedCount: 1, maskedCount: 2 });
    expect(mine.callCount).toBeGreaterThanOrEqual(5);

    const ids = async (query: string) => (await get<{ items: SessionView[] }>(`/control/sessions?${query}`)).data.items.map((s) => s.id);
    expect(await ids('decision=denied')).toEqual([sessionId]);
    expect(await ids('tool=echo')).toEqual([sessionId]);
    expect(await ids('q=history')).toEqual([sessionId]);
    expect(await ids(`q=${encodeURIComponent('"drop" table*')}`)).toEqual([sessionId]);
    // The record is masked, so the address itself cannot be found.
    expect(await ids('q=bob.smith')).toEqual([]);
    expect(await ids(`q=${encodeURIComponent('"(*)"')}`)).toEqual([]);
    expect(await ids('server=elsewhere')).toEqual([]);

    const firstPage = await get<{ items: SessionView[]; nextCursor: string }>('/control/sessions?limit=1');
    expect(firstPage.data.items).toHaveLength(1);
    const secondPage = await get<{ items: SessionView[]; nextCursor: string | null }>(`/control/sessions?limit=1&cursor=${firstPage.data.nextCursor}`);
    expect(secondPage.data.items.map((s) => s.id)).toEqual([sessionId]);

    expect((await get<SessionView>(`/control/sessions/${sessionId.slice(0, 8)}`)).data.id).toBe(sessionId);
    expect(await get('/control/sessions/00000000-nope')).toMatchObject({ status: 404, code: 'not-found' });
  });

  it('pages through a session\'s messages, bodies parsed and masks attached', async () => {
    const all: MessageView[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const { data }: { data: { items: MessageView[]; nextAfter: number | null } } = await get(`/control/sessions/${sessionId}/messages?limit=3&after=${after}`);
      all.push(...data.items);
      after = data.nextAfter;
    }
    const session = (await get<SessionView>(`/control/sessions/${sessionId}`)).data;
    expect(all).toHaveLength(session.messageCount);
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    expect(all[0]).toMatchObject({ direction: 'to-server', kind: 'request', method: 'initialize' });
    const maskedAnswer = all.find((m) => m.direction === 'to-agent' && m.decision === 'masked')!;
    expect(maskedAnswer.masks).toEqual([{ detector: 'email', count: 1, pointers: [expect.stringMatching(/^\/result\//)] }]);
    expect(JSON.stringify(maskedAnswer.body)).not.toContain('bob.smith@example.com');
    expect((maskedAnswer.body as { result: unknown }).result).toBeDefined();
    expect(await get('/control/sessions/nope/messages')).toMatchObject({ status: 404 });
  });

  it('downloads a session as the same JSONL the CLI exports', async () => {
    const token = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
    const response = await fetch(new URL(`/control/sessions/${sessionId.slice(0, 8)}/export`, gateway.url), { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="airlock-session-${sessionId.slice(0, 8)}.jsonl"`);
    const text = await response.text();
    const cli = await runCli(['sessions', 'export', sessionId, '--config', gateway.configPath, '--data-dir', gateway.dataDir]);
    expect(cli.code).toBe(0);
    // The CLI reads a moment later: compare the lines both have.
    const lines = text.trimEnd().split('\n');
    expect(cli.stdout.trimEnd().split('\n').slice(0, lines.length)).toEqual(lines);
    expect(JSON.parse(lines[0])).toMatchObject({ session: sessionId, server: 'probe', client: 'test', direction: 'to-server', message: { method: 'initialize' } });

    const missing = await fetch(new URL('/control/sessions/nope/export', gateway.url), { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ ok: false, code: 'not-found', message: expect.stringContaining('"nope"') });
  });

  it('reports calls per minute, decisions and the busiest tools', async () => {
    const { data } = await get<StatsView>('/control/stats?minutes=5');
    expect(data.minutes).toBe(5);
    expect(data.callsPerMinute).toHaveLength(5);
    expect(data.callsPerMinute[4].minute).toBeLessThanOrEqual(Date.now());
    expect(data.callsPerMinute.reduce((sum, bucket) => sum + bucket.count, 0)).toBeGreaterThanOrEqual(5);
    expect(data.decisions).toMatchObject({ denied: 1, approved: 1 });
    expect(data.decisions.masked).toBeGreaterThanOrEqual(2);
    expect(data.topTools[0]).toEqual({ server: 'probe', tool: 'echo', count: 3 });
    expect((await get<StatsView>('/control/stats')).data.callsPerMinute).toHaveLength(60);
  });

  it('reports the gateway\'s health', async () => {
    const { data } = await get<HealthView>('/control/health');
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(data).toMatchObject({ version, pid: gateway.child.pid, url: gateway.url, pendingApprovals: 0, heldTools: 0 });
    expect(data.openSessions).toBeGreaterThanOrEqual(1);
    expect(data.startedAt).toBeLessThanOrEqual(Date.now());
    expect(data.policy).toMatchObject({ source: policyFile, ruleCount: expect.any(Number) });
    expect(data.policy.error).toBeUndefined();
  });
});
