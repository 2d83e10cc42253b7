import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureCommand, readProbeLog, startGatewayProcess, queryStore, type GatewayProcess } from '../../helpers/gateway-process.js';

const probeLog = join(mkdtempSync(join(tmpdir(), 'probe-')), 'calls.jsonl');
const probe = { ...fixtureCommand('probe-server.ts'), env: { PROBE_LOG: probeLog } };

describe('the gateway records every message', () => {
  let gateway: GatewayProcess;
  const read = <T>(sql: string, ...params: unknown[]) => queryStore<T>(gateway.dataDir, sql, ...params);

  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { probe } });
  });
  afterAll(async () => gateway?.stop());

  it('commits the record of a request before the server receives it', async () => {
    const client = await gateway.connect('probe');
    const result = await client.callTool({ name: 'peek_audit', arguments: { dataDir: gateway.dataDir } });
    const seen = JSON.parse((result.content as Array<{ text: string }>)[0].text);
    expect(seen).toEqual({ committed: true, row: { outcome: 'forwarded' } });
  });

  it('records both directions with session, client, method, tool, duration, size and outcome', async () => {
    const client = await gateway.connect('probe', { name: 'recording-agent' });
    await client.callTool({ name: 'echo', arguments: { text: 'recorded' } });
    const [session] = read<{ id: string; client: string; server: string; client_info: string; protocol_version: string }>(
      "SELECT * FROM sessions WHERE client_info LIKE '%recording-agent%'",
    );
    expect(session).toMatchObject({ client: 'test', server: 'probe' });
    expect(session.protocol_version).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const messages = read<Record<string, unknown>>('SELECT * FROM messages WHERE session_id = ? ORDER BY id', session.id);
    const summary = messages.map((m) => [m.direction, m.kind, m.method, m.outcome]);
    expect(summary).toEqual([
      ['to-server', 'request', 'initialize', 'forwarded'],
      ['to-agent', 'response', 'initialize', 'ok'],
      ['to-server', 'notification', 'notifications/initialized', 'delivered'],
      ['to-server', 'request', 'tools/call', 'forwarded'],
      ['to-agent', 'response', 'tools/call', 'ok'],
    ]);
    const answer = messages[4];
    expect(answer.tool).toBe('echo');
    expect(answer.duration_ms).toBeGreaterThanOrEqual(0);
    expect(answer.size).toBe(Buffer.byteLength(answer.body as string));
    expect(JSON.parse(answer.body as string).result.content[0].text).toBe('recorded');
  });

  it('refuses a call with a clear error, and never forwards it, when the record cannot be written', async () => {
    const client = await gateway.connect('probe');
    // Another process holds the write lock: the gateway's insert fails after its busy timeout.
    const blocker = new Database(join(gateway.dataDir, 'airlock.db'));
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      await expect(client.callTool({ name: 'echo', arguments: { text: 'unrecordable' } }, undefined, { timeout: 20_000 }))
        .rejects.toThrow(/could not record this call/);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect(readProbeLog(probeLog).some((e) => (e.arguments as { text?: string })?.text === 'unrecordable')).toBe(false);
    // Once the store is writable again, calls flow and are recorded.
    expect((await client.callTool({ name: 'echo', arguments: { text: 'recorded again' } })).content).toEqual([{ type: 'text', text: 'recorded again' }]);
  }, 30_000);

  it('marks a session ended, with the reason, when the agent closes it', async () => {
    const client = await gateway.connect('probe', { name: 'closing-agent' });
    await (client.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
    const [session] = read<{ ended_at: number | null; end_reason: string }>("SELECT * FROM sessions WHERE client_info LIKE '%closing-agent%'");
    expect(session.ended_at).not.toBeNull();
    expect(session.end_reason).toBe('closed by agent');
  });
});
