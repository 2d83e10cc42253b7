import type { IDToken, TokenEndpointResponse, TokenEndpointResponseHelpers } from 'openid-client';
import type { StoredTokens } from './stored-tokens.js';

export type TokenResponse = TokenEndpointResponse & TokenEndpointResponseHelpers;

/** Access tokens without `expires_in` are treated as good for this long, then refreshed. */
const DEFAULT_LIFETIME_SECONDS = 300;

/** The groups an ID token lists under `claim`: an array of names, or one name; anything else is none. */
export function groupsFromClaims(claims: IDToken, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  return [];
}

/**
 * What to keep from a token response. A refresh may come without an ID token or a new refresh
 * token: then who the user is and the refresh token carry over from `previous`.
 */
export function toStoredTokens(response: TokenResponse, issuer: string, groupsClaim: string, now: number, previous?: StoredTokens): StoredTokens {
  const claims = response.claims();
  if (!claims && !previous) throw new Error('the issuer returned no ID token: is the "openid" scope configured?');
  const who = claims
    ? {
        subject: claims.sub,
        name: typeof claims.name === 'string' ? claims.name : undefined,
        email: typeof claims.email === 'string' ? claims.email : undefined,
        groups: groupsFromClaims(claims, groupsClaim),
      }
    : { subject: previous!.subject, name: previous!.name, email: previous!.email, groups: previous!.groups };
  return {
    issuer,
    accessToken: response.access_token,
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    expiresAt: now + (response.expiresIn() ?? DEFAULT_LIFETIME_SECONDS) * 1000,
    ...who,
  };
}
