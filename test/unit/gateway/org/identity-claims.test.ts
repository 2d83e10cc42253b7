import { describe, expect, it } from 'vitest';
import type { IDToken } from 'openid-client';
import { describeOrgStatus } from '../../../../src-gateway/cli/org-status-text.js';
import { refreshDelay, retryDelay } from '../../../../src-gateway/sync/identity/refresh-timing.js';
import { groupsFromClaims, toStoredTokens, type TokenResponse } from '../../../../src-gateway/sync/identity/token-claims.js';

const claims = (extra: Record<string, unknown>): IDToken => ({ iss: 'https://idp', sub: 'ada', aud: 'airlock', iat: 0, exp: 1, ...extra });
// openid-client's response type has an index signature its own helper methods do not satisfy.
const response = (fields: { access_token: string; refresh_token?: string; expires_in?: number; claims?: IDToken }): TokenResponse => ({
  access_token: fields.access_token,
  token_type: 'bearer',
  refresh_token: fields.refresh_token,
  claims: () => fields.claims,
  expiresIn: () => fields.expires_in,
}) as unknown as TokenResponse;

describe('groups from the ID token', () => {
  it.each([
    ['a list of names', ['dba', 'eng'], ['dba', 'eng']],
    ['one name', 'dba', ['dba']],
    ['a list with non-names, keeping the names', ['dba', 7, null], ['dba']],
    ['no claim at all', undefined, []],
    ['an object', { dba: true }, []],
  ])('reads %s', (_what, value, expected) => {
    expect(groupsFromClaims(claims(value === undefined ? {} : { groups: value }), 'groups')).toEqual(expected);
  });

  it('reads the configured claim, not "groups"', () => {
    expect(groupsFromClaims(claims({ groups: ['x'], roles: ['admin'] }), 'roles')).toEqual(['admin']);
  });
});

describe('what is kept from a token response', () => {
  it('keeps who signed in and when the access token expires', () => {
    const kept = toStoredTokens(response({ access_token: 'a1', refresh_token: 'r1', expires_in: 300, claims: claims({ email: 'ada@x', groups: ['dba'] }) }), 'https://idp', 'groups', 1_000);
    expect(kept).toEqual({ issuer: 'https://idp', accessToken: 'a1', refreshToken: 'r1', expiresAt: 301_000, subject: 'ada', name: undefined, email: 'ada@x', groups: ['dba'] });
  });

  it('carries the user and the refresh token over a refresh that returns neither', () => {
    const first = toStoredTokens(response({ access_token: 'a1', refresh_token: 'r1', expires_in: 300, claims: claims({ groups: ['dba'] }) }), 'https://idp', 'groups', 0);
    const next = toStoredTokens(response({ access_token: 'a2', expires_in: 60 }), 'https://idp', 'groups', 10_000, first);
    expect(next).toMatchObject({ accessToken: 'a2', refreshToken: 'r1', subject: 'ada', groups: ['dba'], expiresAt: 70_000 });
  });

  it('refuses a first sign-in without an ID token', () => {
    expect(() => toStoredTokens(response({ access_token: 'a1' }), 'https://idp', 'groups', 0)).toThrow(/no ID token/);
  });
});

describe('refresh timing', () => {
  it('refreshes a minute before a long-lived token expires', () => {
    expect(refreshDelay(3_600_000, 0)).toBe(3_540_000);
  });

  it('refreshes a short-lived token at four fifths of its life, and never in less than a second', () => {
    expect(refreshDelay(100_000, 0)).toBe(80_000);
    expect(refreshDelay(0, 10_000)).toBe(1_000);
  });

  it('backs off from 30 s, doubling, to at most 10 min', () => {
    expect([1, 2, 3, 10].map(retryDelay)).toEqual([30_000, 60_000, 120_000, 600_000]);
  });
});

describe('org status as text', () => {
  it('says org mode is off without an org section', () => {
    expect(describeOrgStatus({ configured: false, identity: null, pendingLogin: null, policy: null, audit: null })).toMatch(/org mode is off/);
  });

  it('names the user, their groups and each part', () => {
    const text = describeOrgStatus({
      configured: true, issuer: 'https://idp', hub: 'https://hub', pendingLogin: null,
      identity: { subject: 'ada', email: 'ada@x', groups: ['dba'], expiresAt: 0 },
      policy: { version: 'v7', etag: null, fetchedAt: 0, checkedAt: 0, ruleCount: 3, mandatoryDetectors: [], error: 'hub down' },
      audit: { unshipped: 12, oldestUnshippedAt: 0, lastShippedAt: null, dropped: 0 },
    }, 30_000);
    expect(text).toContain('signed in as ada@x (groups: dba)');
    expect(text).toContain('policy bundle: v7 (fetched 30 s ago, 3 rules)');
    expect(text).toContain('last fetch failed: hub down');
    expect(text).toContain('audit: 12 records to ship');
  });
});
