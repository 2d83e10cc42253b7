import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, resolveRendererFile } from './renderer-files.js';

/**
 * Declares `app://` a standard, secure scheme: pages on it get a real origin (`app://airlock`),
 * ES modules and storage. Must run before the app is ready. Module scripts are fetched in CORS mode,
 * hence `corsEnabled`; the CSP still allows no other origin.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } }]);
}

/** Serves the built renderer (`rendererDir`) at `app://airlock/ui/`, with the window's CSP. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
    const resolved = resolveRendererFile(rendererDir, request.url);
    if (resolved.status !== 200) return new Response(null, { status: 404, headers: resolved.headers });
    try {
      return new Response(await readFile(resolved.file), { status: 200, headers: resolved.headers });
    } catch {
      return new Response(null, { status: 404, headers: resolved.headers });
    }
  });
}
