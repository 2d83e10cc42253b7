import * as oidc from 'openid-client';
import type { LoginInProgress } from './login-in-progress.js';

/**
 * Starts an OAuth device authorization (RFC 8628), for terminals and machines without a browser:
 * the person opens the verification URL anywhere and enters the code; the tokens arrive by polling
 * the token endpoint at the interval the issuer asks for, until it completes, expires or `signal` aborts.
 */
export async function startDeviceLogin(
  config: oidc.Configuration,
  request: { scope: string; resource: Record<string, string> },
  signal: AbortSignal,
  now: number,
): Promise<LoginInProgress> {
  const device = await oidc.initiateDeviceAuthorization(config, { scope: request.scope, ...request.resource });
  return {
    view: {
      flow: 'device',
      verificationUri: device.verification_uri,
      verificationUriComplete: device.verification_uri_complete,
      userCode: device.user_code,
      expiresAt: now + device.expires_in * 1000,
    },
    tokens: oidc.pollDeviceAuthorizationGrant(config, device, request.resource, { signal }),
  };
}
