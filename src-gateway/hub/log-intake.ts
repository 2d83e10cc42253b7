import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { attributeValue, ExportLogsServiceRequestSchema, type ExportLogsServiceRequest, type KeyValue } from '../sync/otlp-logs-schema.js';
import type { HubRecord } from './hub-store.js';

const gunzipAsync = promisify(gunzip);

/** Bytes on the wire, and after gunzip (a small gzip body must not inflate without bound). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export type IntakeResult = { ok: true; records: HubRecord[] } | { ok: false; status: number; message: string };

/**
 * Reads one OTLP/HTTP JSON logs request: gzip or identity encoding, bounded sizes, validated with
 * zod, and every log record carrying the `airlock.record.id` the hub dedups by.
 */
export async function readLogRequest(req: IncomingMessage): Promise<IntakeResult> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return fail(415, 'Content-Type must be application/json (OTLP/HTTP JSON)');
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'gzip' && encoding !== 'identity') return fail(415, `Content-Encoding ${encoding} is not supported (gzip or identity)`);
  const raw = await readBody(req);
  if (!raw) return fail(413, `the body exceeds ${MAX_BODY_BYTES} bytes`);
  let text: string;
  try {
    text = (encoding === 'gzip' ? await gunzipAsync(raw, { maxOutputLength: MAX_JSON_BYTES }) : raw).toString('utf8');
  } catch {
    return fail(400, `the body is not valid gzip, or inflates beyond ${MAX_JSON_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(400, 'the body is not JSON');
  }
  const parsed = ExportLogsServiceRequestSchema.safeParse(json);
  if (!parsed.success) return fail(400, `not an OTLP ExportLogsServiceRequest: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const records = toHubRecords(parsed.data);
  if (!records) return fail(400, 'every log record needs a string "airlock.record.id" attribute');
  return { ok: true, records };
}

/** Flattens the request into records; null when one lacks its record id. */
export function toHubRecords(request: ExportLogsServiceRequest): HubRecord[] | null {
  const records: HubRecord[] = [];
  for (const resourceLogs of request.resourceLogs) {
    const resource = plain(resourceLogs.resource?.attributes);
    for (const scopeLogs of resourceLogs.scopeLogs) {
      for (const log of scopeLogs.logRecords) {
        const recordId = attributeValue(log.attributes, 'airlock.record.id');
        if (typeof recordId !== 'string' || !recordId) return null;
        const attributes = { ...resource, ...plain(log.attributes) };
        const text = (key: string) => (typeof attributes[key] === 'string' ? (attributes[key] as string) : null);
        records.push({
          recordId,
          timeMs: log.timeUnixNano === undefined ? Date.now() : Number(BigInt(log.timeUnixNano) / 1_000_000n),
          sessionId: text('airlock.session.id'),
          userId: text('user.id'),
          userName: text('user.name'),
          client: text('airlock.client'),
          server: text('airlock.server'),
          method: text('mcp.method.name'),
          outcome: text('airlock.outcome'),
          body: log.body && 'stringValue' in log.body ? log.body.stringValue : JSON.stringify(log.body ?? null),
          attributes,
        });
      }
    }
  }
  return records;
}

function plain(attributes: readonly KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map((a) => [a.key, attributeValue(attributes, a.key)]));
}

/** The whole body, or null past the limit (the rest is not read). */
async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function fail(status: number, message: string): IntakeResult {
  return { ok: false, status, message };
}
