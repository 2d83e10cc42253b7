import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';
import type { TestCa } from './test-ca.js';

/** The desktop and CLI client Airlock registers with the issuer: public, PKCE, loopback redirects. */
export const OIDC_CLIENT_ID = 'airlock';

export interface OidcIssuer {
  /** e.g. `https://127.0.0.1:43211` */
  issuer: string;
  /** The audience of the access tokens it issues (the hub's). */
  audience: string;
  /** Changes what the `groups` claim says for `user` in tokens issued from now on. */
  setGroups(user: string, groups: string[]): void;
  provider: Provider;
  stop(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) over HTTPS on loopback, with device authorization,
 * authorization code + PKCE with RFC 8252 loopback redirects, refresh tokens, revocation, and JWT
 * access tokens for the hub's audience. Its development login accepts any user name; the user's
 * groups come from `setGroups`.
 */
export async function startOidcIssuer(ca: TestCa, options: { audience?: string; accessTokenTtl?: number } = {}): Promise<OidcIssuer> {
  const groups = new Map<string, string[]>();
  const server: Server = createServer({ cert: ca.cert, key: ca.key });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const audience = options.audience ?? 'https://hub.airlock.test';
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

  const configuration: Configuration = {
    clients: [{
      client_id: OIDC_CLIENT_ID,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/callback'],
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['airlock-test-cookie-key'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'openid offline_access email profile groups', audience, accessTokenFormat: 'jwt', accessTokenTTL: options.accessTokenTtl ?? 300 }),
      },
    },
    // The groups go into the ID token too, where a desktop app reads them.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({ sub: id, email: `${id}@example.test`, name: id, groups: groups.get(id) ?? [] }),
    }),
    // Refresh tokens for a public client whenever offline_access was granted.
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: { AccessToken: options.accessTokenTtl ?? 300, IdToken: 300, DeviceCode: 300, RefreshToken: 24 * 3600, Grant: 24 * 3600, Session: 24 * 3600, Interaction: 600 },
  };
  const provider = new Provider(issuer, configuration);
  server.on('request', provider.callback());

  return {
    issuer,
    audience,
    setGroups: (user, list) => void groups.set(user, list),
    provider,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
