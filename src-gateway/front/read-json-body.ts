import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; code: number; message: string };

/** Reads and parses a JSON request body, refusing it as soon as it grows past `limit` bytes. */
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
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, code: -32700, message: 'Parse error: the body is not valid JSON' };
  }
}

function tooLarge(req: IncomingMessage, limit: number): BodyResult {
  // Stop reading; the connection closes after the reply instead of draining a huge body.
  req.pause();
  return { ok: false, status: 413, code: -32000, message: `Payload Too Large: bodies are limited to ${limit} bytes (limits.maxBodyBytes)` };
}
