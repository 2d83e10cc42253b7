import type { IncomingMessage } from 'node:http';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; code: number; message: string };

/**
 * Reads and parses a JSON request body, refusing it as soon as it grows past `limit` bytes, and
 * refusing JSON nested deeper than `MAX_JSON_DEPTH` (the control API reads its bodies here too).
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return tooLarge(req, limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return tooLarge(req, limit);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return { ok: false, status: 400, code: -32700, message: 'Parse error: the body is not valid JSON' };
  }
  if (nestsDeeperThan(value)) {
    return { ok: false, status: 400, code: -32600, message: `Invalid Request: the body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep` };
  }
  return { ok: true, value };
}

function tooLarge(req: IncomingMessage, limit: number): BodyResult {
  // Stop reading; the connection closes after the reply instead of draining a huge body.
  req.pause();
  return { ok: false, status: 413, code: -32000, message: `Payload Too Large: bodies are limited to ${limit} bytes (limits.maxBodyBytes)` };
}
