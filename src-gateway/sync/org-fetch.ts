import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/** `fetch` as the org code uses it: the issuer, the hub. */
export type OrgFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * The `fetch` for talking to the org's issuer and hub. With `caFile` (a private PKI) it trusts those
 * CA certificates in addition to the system's, through an undici agent, because Node's global fetch
 * reads extra CAs only from `NODE_EXTRA_CA_CERTS` at process start. TLS verification is never off.
 */
export function orgFetch(caFile?: string): OrgFetch {
  if (!caFile) return (url, init) => fetch(url, init);
  const ca = [...rootCertificates, readFileSync(caFile, 'utf8')];
  const dispatcher = new Agent({ connect: { ca } });
  return (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
}
