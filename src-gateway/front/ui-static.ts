import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

/** Where `npm run build` puts the tray window's static files (Vite output). */
export const UI_DIR = join(PACKAGE_ROOT, 'dist', 'renderer');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The page may talk only to this gateway and load only its own files: no inline script, no
 * framing (clickjacking an Allow button), no other origin. React sets styles through the CSSOM,
 * which `style-src 'self'` allows.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Serves the tray window's UI at `/ui/` for a browser (`/` redirects there). Paths without a file
 * extension are client-side routes and get `index.html`. The page holds no secret: it reads the
 * control token from the URL fragment it was opened with, which never reaches a server or a log.
 */
export function serveUi(req: IncomingMessage, res: ServerResponse, path: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (path === '/' || path === '/ui') {
    res.writeHead(302, { location: '/ui/' }).end();
    return;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice('/ui/'.length));
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = normalize(join(UI_DIR, extname(relative) ? relative : 'index.html'));
  if (!file.startsWith(UI_DIR + sep)) {
    res.writeHead(404).end();
    return;
  }
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    if (!extname(relative)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The Airlock UI is not built: run `npm run build`.\n');
    } else {
      res.writeHead(404, SECURITY_HEADERS).end();
    }
    return;
  }
  // Vite puts a content hash in every asset name, so assets never change; index.html always may.
  const cache = relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size, 'cache-control': cache });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}
