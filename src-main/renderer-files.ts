import { extname, join, normalize, sep } from 'node:path';

/**
 * The window's Content-Security-Policy: its own files only, no inline script, no framing, and no
 * network at all — in the app every request goes through the preload bridge, so the page holds
 * neither a token nor a URL to use one with. React sets styles through the CSSOM (`style-src 'self'`).
 */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const APP_HEADERS: Record<string, string> = {
  'content-security-policy': APP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

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

/** Where the window's pages are served from; `app-protocol.ts` answers this scheme and host. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'airlock';
export const APP_BASE_URL = `${APP_SCHEME}://${APP_HOST}/ui/`;

export type RendererFile =
  | { status: 200; file: string; headers: Record<string, string> }
  | { status: 404; headers: Record<string, string> };

/**
 * Which file of the built renderer (`rootDir`, Vite's output) answers `url`. Only `app://airlock/ui/…`
 * is served; a path without an extension is a client-side route and gets `index.html`; anything
 * that would leave `rootDir` (`..`, encoded or not, absolute paths, NUL) is not found.
 */
export function resolveRendererFile(rootDir: string, url: string): RendererFile {
  const notFound = { status: 404, headers: APP_HEADERS } as const;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return notFound;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return notFound;
  const path = parsed.pathname;
  if (path !== '/ui' && !path.startsWith('/ui/')) return notFound;
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice('/ui/'.length));
  } catch {
    return notFound;
  }
  if (relative.includes('\0') || relative.includes('\\')) return notFound;
  const root = normalize(rootDir);
  const file = normalize(join(root, extname(relative) ? relative : 'index.html'));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return notFound;
  return { status: 200, file, headers: { ...APP_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' } };
}
