import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import type { OrgFetch } from '../sync/org-fetch.js';

/** Who sent a request, from their verified access token. */
export interface HubCaller {
  subject: string;
  claims: JWTPayload;
}

export type HubAuthResult = { ok: true; caller: HubCaller } | { ok: false; wwwAuthenticate: string; reason: string };

/** Checks a request's `Authorization` header. */
export type HubAuth = (authorization: string | undefined) => Promise<HubAuthResult>;

export interface HubAuthOptions {
  issuer: string;
  audience: string;
  fetch: OrgFetch;
}

/**
 * Verifies bearer JWT access tokens against the issuer's published keys (its discovery document's
 * `jwks_uri`, fetched once, keys cached and refetched on an unknown `kid`), its `iss` and the hub's
 * audience. Anything else fails closed with an RFC 6750 challenge; the token itself is never echoed.
 */
export async function createHubAuth({ issuer, audience, fetch }: HubAuthOptions): Promise<HubAuth> {
  const discoveryUrl = new URL('.well-known/openid-configuration', issuer.endsWith('/') ? issuer : `${issuer}/`);
  const response = await fetch(discoveryUrl);
  if (!response.ok) throw new Error(`the issuer's discovery document (${discoveryUrl}) answered ${response.status}`);
  const discovery = (await response.json()) as { issuer?: string; jwks_uri?: string };
  if (!discovery.jwks_uri) throw new Error(`the issuer's discovery document (${discoveryUrl}) has no jwks_uri`);
  // The issuer names itself; tokens must carry exactly that name (it may differ by a trailing slash).
  const expectedIssuer = discovery.issuer ?? issuer;
  const keys = createRemoteJWKSet(new URL(discovery.jwks_uri), {
    [customFetch]: (url, init) => fetch(url, init as RequestInit),
  });

  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '');
    if (!match) return refuse('invalid_request', 'a bearer access token is required');
    try {
      const { payload } = await jwtVerify(match[1], keys, { issuer: expectedIssuer, audience });
      if (!payload.sub) return refuse('invalid_token', 'the token names no subject');
      return { ok: true, caller: { subject: payload.sub, claims: payload } };
    } catch (error) {
      return refuse('invalid_token', describe(error));
    }
  };
}

function refuse(code: 'invalid_request' | 'invalid_token', reason: string): HubAuthResult {
  const description = reason.replace(/["\\]/g, '');
  const challenge = code === 'invalid_request' ? 'Bearer realm="airlock-hub"' : `Bearer realm="airlock-hub", error="${code}", error_description="${description}"`;
  return { ok: false, wwwAuthenticate: challenge, reason };
}

/** What went wrong, in words that say what to do, without the token's content. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'the token is not signed by the issuer';
  return 'the token is not valid';
}
