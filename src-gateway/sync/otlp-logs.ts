import type { OutboxRecord } from '../store/audit-outbox.js';
import type { AnyValue, ExportLogsServiceRequest, KeyValue, LogRecord } from './otlp-logs-schema.js';

/** Who is sending: the resource of every record of a batch. */
export interface AuditResource {
  installationId: string;
  version: string;
}

/** The scope name of Airlock's audit records, so a collector can route them. */
export const AUDIT_SCOPE = 'airlock.audit';

/**
 * Encodes recorded messages as one OTLP `ExportLogsServiceRequest`: one log record per message,
 * its body the recorded (masked) JSON-RPC message. Attribute names are the ones the org design
 * documents; absent values are left out rather than sent empty.
 */
export function encodeAuditLogs(records: readonly OutboxRecord[], resource: AuditResource): ExportLogsServiceRequest {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: attributes({
            'service.name': 'airlock',
            'service.version': resource.version,
            'airlock.installation.id': resource.installationId,
          }),
        },
        scopeLogs: [{ scope: { name: AUDIT_SCOPE, version: resource.version }, logRecords: records.map((r) => logRecord(r, resource)) }],
      },
    ],
  };
}

/** The id the hub dedups by: unique across installations, stable across retries. */
export function recordId(installationId: string, messageId: number): string {
  return `${installationId}:${messageId}`;
}

function logRecord(record: OutboxRecord, resource: AuditResource): LogRecord {
  const { severityNumber, severityText } = severity(record.outcome);
  return {
    timeUnixNano: (BigInt(record.ts) * 1_000_000n).toString(),
    severityNumber,
    severityText,
    body: { stringValue: record.body },
    attributes: attributes({
      'airlock.record.id': recordId(resource.installationId, record.messageId),
      'airlock.session.id': record.sessionId,
      'airlock.client': record.client,
      'airlock.server': record.server,
      'airlock.direction': record.direction,
      'airlock.kind': record.kind,
      'mcp.method.name': record.method,
      'gen_ai.tool.name': record.method === 'tools/call' ? record.tool : null,
      'jsonrpc.request.id': requestId(record.rpcId),
      'airlock.outcome': record.outcome,
      'airlock.decision': record.decision,
      'airlock.rule.id': record.ruleId,
      // Always a double, so a collector sees one type for the attribute.
      'airlock.duration_ms': record.durationMs === null ? null : { double: record.durationMs },
      'airlock.size': record.size,
      'airlock.masked.detectors': record.detectors,
      'user.id': record.userId,
      'user.name': record.userName,
      'airlock.user.groups': record.groups,
      'airlock.chain.hash': record.chainHash,
    }),
  };
}

/** The stored id is JSON (1 and "1" differ); OTLP carries the id as text. */
function requestId(rpcId: string | null): string | null {
  if (rpcId === null) return null;
  const id = JSON.parse(rpcId) as unknown;
  return typeof id === 'string' ? id : String(id);
}

/** Stopped or failed messages stand out in a log viewer. */
function severity(outcome: OutboxRecord['outcome']): { severityNumber: number; severityText: string } {
  if (outcome === 'denied') return { severityNumber: 13, severityText: 'WARN' };
  if (outcome === 'failed' || outcome === 'error') return { severityNumber: 17, severityText: 'ERROR' };
  return { severityNumber: 9, severityText: 'INFO' };
}

type Plain = string | number | { double: number } | readonly string[] | null | undefined;

function attributes(values: Record<string, Plain>): KeyValue[] {
  const list: KeyValue[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (value === null || value === undefined) continue;
    list.push({ key, value: anyValue(value) });
  }
  return list;
}

function anyValue(value: Exclude<Plain, null | undefined>): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if ('double' in value) return { doubleValue: value.double };
  return { arrayValue: { values: value.map((v) => ({ stringValue: v })) } };
}
