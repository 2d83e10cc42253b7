import * as oidc from 'openid-client';
import type { OrgConfig } from '../../config/config-schema.js';
import { orgFetch } from '../org-fetch.js';

/**
 * Reads the issuer's OpenID configuration. Airlock is a public client (RFC 8252 native app):
 * no secret, PKCE on every authorization. Every later request of the returned configuration
 * (token, device, revocation endpoints) goes through the org fetch, which trusts `caFile`.
 */
export function discoverIssuer(org: OrgConfig): Promise<oidc.Configuration> {
  const fetch = orgFetch(org.caFile);
  return oidc.discovery(new URL(org.issuer), org.clientId, undefined, oidc.None(), {
    [oidc.customFetch]: (url, init) => fetch(url, init as RequestInit),
  });
}

/** Parameters every grant sends: the audience of the hub (RFC 8707), when configured. */
export function resourceParameters(org: OrgConfig): Record<string, string> {
  return org.audience ? { resource: org.audience } : {};
}
