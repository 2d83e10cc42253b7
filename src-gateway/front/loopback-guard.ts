import type { IncomingMessage } from 'node:http';

const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export type GuardResult = { ok: true } | { ok: false; reason: string };

/**
 * DNS-rebinding defence: a page on evil.example that resolves to 127.0.0.1 still sends
 * `Host: evil.example`, and its `Origin` is not loopback. Both are refused. `extraHosts` admits
 * the configured listen address when a user deliberately binds elsewhere.
 */
export function checkHostAndOrigin(req: IncomingMessage, extraHosts: readonly string[] = []): GuardResult {
  const host = hostnameOf(req.headers.host);
  if (host === undefined || !(LOOPBACK_HOSTNAMES.has(host) || extraHosts.includes(host))) {
    return { ok: false, reason: `Host "${req.headers.host ?? ''}" is not allowed; connect to 127.0.0.1 or localhost` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin, extraHosts)) {
    return { ok: false, reason: `Origin "${origin}" is not allowed` };
  }
  return { ok: true };
}

export function isLoopbackOrigin(origin: string, extraHosts: readonly string[] = []): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && (LOOPBACK_HOSTNAMES.has(url.hostname) || extraHosts.includes(url.hostname));
  } catch {
    return false;
  }
}

function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}
