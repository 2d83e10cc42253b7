import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parsePolicyBundle } from '../sync/policy-bundle.js';

/** The bundle files a hub's policy dir may hold, the first found is served. */
const BUNDLE_FILES = [
  { name: 'bundle.json', format: 'json' },
  { name: 'bundle.yaml', format: 'yaml' },
  { name: 'bundle.yml', format: 'yaml' },
] as const;

/**
 * `GET /policy/bundle` of the hub (after the caller's token is checked): the bundle from `dir`,
 * read and validated on every request so an edit applies without a restart, as JSON with an ETag
 * (sha256 of what is sent), 304 for a matching `If-None-Match`, and `Cache-Control: max-age`. A
 * bundle that does not validate is never served: the hub answers 500, so every Airlock keeps its
 * last good one, and the problems go to `onError` (the hub's log), not to the callers.
 */
export function servePolicyBundle(dir: string, maxAgeSeconds: number, onError: (message: string) => void = () => {}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'use GET' }));
      return;
    }
    let body: string;
    try {
      body = readBundle(dir);
    } catch (error) {
      onError((error as Error).message);
      const message = "the organisation's policy bundle on the hub is missing or invalid; the hub's log says why";
      res.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ error: message }));
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('hex')}"`;
    const headers = { etag, 'cache-control': `private, max-age=${maxAgeSeconds}` };
    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

/** The bundle as JSON text, as written (the gateway fills in defaults itself). @throws Error when missing or invalid. */
function readBundle(dir: string): string {
  const file = BUNDLE_FILES.find(({ name }) => existsSync(join(dir, name)));
  if (!file) throw new Error(`no policy bundle in ${dir}: write ${BUNDLE_FILES.map(({ name }) => name).join(' or ')}`);
  const path = join(dir, file.name);
  const text = readFileSync(path, 'utf8');
  parsePolicyBundle(text, path, file.format);
  // One JSON text whatever the file's format, so the ETag changes only when the content does.
  const raw: unknown = file.format === 'json' ? JSON.parse(text) : parseYaml(text);
  return JSON.stringify(raw);
}

/** `If-None-Match` as a list of tags (weak ones compare by their opaque part) or `*`. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}
