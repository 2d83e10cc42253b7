import { describe, expect, it } from 'vitest';
import { toHubRecords } from '../../../../src-gateway/hub/log-intake.js';
import type { OutboxRecord } from '../../../../src-gateway/store/audit-outbox.js';
import { encodeAuditLogs } from '../../../../src-gateway/sync/otlp-logs.js';
import { attributeValue, ExportLogsServiceRequestSchema } from '../../../../src-gateway/sync/otlp-logs-schema.js';

const call: OutboxRecord = {
  messageId: 42,
  sessionId: 'sess-1',
  ts: 1_700_000_000_123,
  direction: 'to-server',
  kind: 'request',
  rpcId: '"req-7"',
  method: 'tools/call',
  tool: 'refund',
  size: 88,
  durationMs: null,
  outcome: 'denied',
  decision: 'deny',
  ruleId: 'no-refunds',
  body: '{"jsonrpc":"2.0","id":"req-7","method":"tools/call","params":{"name":"refund"}}',
  server: 'payments',
  client: 'cursor',
  userId: 'ada',
  userName: 'Ada Lovelace',
  groups: ['finance', 'eng'],
  detectors: ['email'],
  chainHash: 'c'.repeat(64),
};
const resource = { installationId: 'inst-1', version: '1.2.3' };

describe('encodeAuditLogs', () => {
  it('writes one OTLP log record per message with the documented resource and record attributes', () => {
    const request = encodeAuditLogs([call], resource);
    expect(ExportLogsServiceRequestSchema.safeParse(request).success).toBe(true);
    const { resource: res, scopeLogs } = request.resourceLogs[0];
    expect(attributeValue(res?.attributes, 'service.name')).toBe('airlock');
    expect(attributeValue(res?.attributes, 'service.version')).toBe('1.2.3');
    expect(attributeValue(res?.attributes, 'airlock.installation.id')).toBe('inst-1');
    const [record] = scopeLogs[0].logRecords;
    expect(record.timeUnixNano).toBe('1700000000123000000');
    expect(record.body).toEqual({ stringValue: call.body });
    expect(record.severityText).toBe('WARN');
    const attr = (key: string) => attributeValue(record.attributes, key);
    expect({
      id: attr('airlock.record.id'),
      session: attr('airlock.session.id'),
      client: attr('airlock.client'),
      server: attr('airlock.server'),
      direction: attr('airlock.direction'),
      kind: attr('airlock.kind'),
      method: attr('mcp.method.name'),
      tool: attr('gen_ai.tool.name'),
      rpcId: attr('jsonrpc.request.id'),
      outcome: attr('airlock.outcome'),
      decision: attr('airlock.decision'),
      rule: attr('airlock.rule.id'),
      size: attr('airlock.size'),
      detectors: attr('airlock.masked.detectors'),
      user: attr('user.id'),
      name: attr('user.name'),
      groups: attr('airlock.user.groups'),
      chain: attr('airlock.chain.hash'),
    }).toEqual({
      id: 'inst-1:42', session: 'sess-1', client: 'cursor', server: 'payments', direction: 'to-server', kind: 'request',
      method: 'tools/call', tool: 'refund', rpcId: 'req-7', outcome: 'denied', decision: 'deny', rule: 'no-refunds',
      size: 88, detectors: ['email'], user: 'ada', name: 'Ada Lovelace', groups: ['finance', 'eng'], chain: 'c'.repeat(64),
    });
  });

  it('leaves out what a message does not have, names a tool only for tool calls, and sends durations as doubles', () => {
    const read: OutboxRecord = { ...call, rpcId: '3', method: 'resources/read', tool: 'file:///a', kind: 'response', outcome: 'ok', decision: null, ruleId: null, userId: null, userName: null, durationMs: 12 };
    const [record] = encodeAuditLogs([read], resource).resourceLogs[0].scopeLogs[0].logRecords;
    const keys = record.attributes!.map((a) => a.key);
    expect(keys).not.toContain('gen_ai.tool.name');
    expect(keys).not.toContain('airlock.decision');
    expect(keys).not.toContain('user.id');
    expect(attributeValue(record.attributes, 'jsonrpc.request.id')).toBe('3');
    expect(record.attributes!.find((a) => a.key === 'airlock.duration_ms')!.value).toEqual({ doubleValue: 12 });
  });

  it('reads back on the hub as the same records, keyed by record id', () => {
    const records = toHubRecords(encodeAuditLogs([call, { ...call, messageId: 43 }], resource))!;
    expect(records.map((r) => [r.recordId, r.sessionId, r.userId, r.server, r.timeMs, r.body])).toEqual([
      ['inst-1:42', 'sess-1', 'ada', 'payments', call.ts, call.body],
      ['inst-1:43', 'sess-1', 'ada', 'payments', call.ts, call.body],
    ]);
  });

  it('is refused by the hub when a record has no airlock.record.id', () => {
    const request = encodeAuditLogs([call], resource);
    const record = request.resourceLogs[0].scopeLogs[0].logRecords[0];
    record.attributes = record.attributes!.filter((a) => a.key !== 'airlock.record.id');
    expect(toHubRecords(request)).toBeNull();
  });
});
