import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { LoginInProgress } from './login-in-progress.js';
import type { TokenResponse } from './token-claims.js';

/** The path of the loopback redirect URI, registered at the issuer as `http://127.0.0.1/callback` (any port, RFC 8252 §7.3). */
export const CALLBACK_PATH = '/callback';

/** How long the person has to finish signing in in the browser. */
const LOGIN_TTL_MS = 10 * 60_000;

const PAGE = (text: string) =>
  `<!doctype html><meta charset="utf-8"><title>Airlock sign-in</title><p style="font:16px system-ui;margin:3em">${text}</p>`;

/**
 * Starts an authorization code + PKCE sign-in through the system browser with a loopback redirect
 * (RFC 8252): a one-shot HTTP listener on 127.0.0.1 and a random port receives the redirect, checks
 * `state` and `nonce`, and redeems the code. The listener closes after the first callback, on
 * expiry, or when `signal` aborts.
 */
export async function startBrowserLogin(
  config: oidc.Configuration,
  request: { scope: string; resource: Record<string, string> },
  signal: AbortSignal,
  now: number,
): Promise<LoginInProgress> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: request.scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...request.resource,
  });

  const tokens = new Promise<TokenResponse>((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      server.close();
      server.closeIdleConnections();
      if (error) reject(error);
    };
    const onAbort = () => finish(new Error('the sign-in was cancelled'));
    const timer = setTimeout(() => finish(new Error('the sign-in expired before it was completed in the browser')), LOGIN_TTL_MS);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });

    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', redirectUri);
      if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      // One callback per login: a second one (a reload, another tab) must not redeem anything.
      server.removeAllListeners('request');
      server.on('request', (_req, late: ServerResponse) => late.writeHead(410, { 'content-type': 'text/plain' }).end('this sign-in is over'));
      oidc
        .authorizationCodeGrant(config, url, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }, request.resource)
        .then((response) => {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Signed in to Airlock. You can close this window.'));
          resolve(response);
          finish();
        })
        .catch((error: Error) => {
          res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE('Airlock could not complete the sign-in; see Airlock for the reason.'));
          finish(error);
        });
    });
  });
  return { view: { flow: 'browser', authorizationUrl: authorizationUrl.href, expiresAt: now + LOGIN_TTL_MS }, tokens };
}
