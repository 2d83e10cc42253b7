import * as oidc from 'openid-client';
import type { OrgConfig } from '../../config/config-schema.js';
import type { OrgIdentityView, OrgLoginView } from '../../control/contract.js';
import type { Logger } from '../../logger.js';
import type { SignedIn } from '../../pipeline/pipeline-types.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { startBrowserLogin } from './browser-login.js';
import { startDeviceLogin } from './device-login.js';
import { discoverIssuer, resourceParameters } from './oidc-discovery.js';
import { refreshDelay, retryDelay } from './refresh-timing.js';
import { forgetStoredTokens, readStoredTokens, saveStoredTokens, type StoredTokens } from './stored-tokens.js';
import { toStoredTokens } from './token-claims.js';

export interface OrgIdentityOptions {
  org: OrgConfig;
  secrets: SecretStore;
  logger: Logger;
  /** Told after every change of the sign-in: signed in, refreshed, signed out, a login started or failed. */
  onChange(): void;
  now?: () => number;
}

/**
 * The person signed in to the org: device or browser sign-in, tokens in the secret store (never in
 * the database or the log), silent refresh before the access token expires, and sign-out that
 * revokes at the issuer before forgetting. A refresh the issuer refuses signs the person out; one
 * that cannot reach the issuer is retried, and the sign-in stays (offline-safe).
 */
export class OrgIdentity {
  private tokens: StoredTokens | null;
  private pending: { view: OrgLoginView; abort: AbortController } | null = null;
  private failure: string | undefined;
  private config: Promise<oidc.Configuration> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private failedRefreshes = 0;
  private readonly now: () => number;

  constructor(private readonly options: OrgIdentityOptions) {
    this.now = options.now ?? Date.now;
    this.tokens = readStoredTokens(options.secrets, options.org.issuer, (message) => options.logger.warn(message));
    this.schedule();
  }

  /** Who is signed in, as sessions and policy rules see it; null when nobody. */
  signedIn(): SignedIn | null {
    if (!this.tokens) return null;
    const { subject, email, name, groups } = this.tokens;
    return { user: { id: subject, name: email ?? name ?? null }, groups };
  }

  view(): OrgIdentityView | null {
    if (!this.tokens) return null;
    const { subject, name, email, groups, expiresAt } = this.tokens;
    return { subject, name, email, groups, expiresAt };
  }

  pendingLogin(): OrgLoginView | null {
    return this.pending?.view ?? null;
  }

  /** Why the last sign-in or refresh failed, until the next one succeeds. */
  lastError(): string | undefined {
    return this.failure;
  }

  /** A current access token for the hub (refreshed first when it is about to expire); null when signed out. */
  async accessToken(): Promise<string | null> {
    if (this.tokens && this.tokens.expiresAt - this.now() < 30_000) await this.refresh();
    return this.tokens?.accessToken ?? null;
  }

  /** Starts a sign-in, replacing one in progress; it completes in the background. */
  async login(flow: 'device' | 'browser'): Promise<OrgLoginView> {
    this.pending?.abort.abort();
    this.pending = null;
    const { org } = this.options;
    const config = await this.discover();
    const abort = new AbortController();
    const request = { scope: org.scopes, resource: resourceParameters(org) };
    const started = flow === 'device'
      ? await startDeviceLogin(config, request, abort.signal, this.now())
      : await startBrowserLogin(config, request, abort.signal, this.now());
    const pending = { view: started.view, abort };
    this.pending = pending;
    this.failure = undefined;
    started.tokens.then(
      (response) => {
        if (this.pending !== pending) return;
        this.pending = null;
        this.accept(toStoredTokens(response, org.issuer, org.groupsClaim, this.now()));
        this.options.logger.info(`signed in to ${org.issuer} as ${this.signedIn()?.user.name ?? this.tokens?.subject}`);
      },
      (error: Error) => {
        if (this.pending !== pending) return;
        this.pending = null;
        this.fail(`the sign-in did not complete: ${describe(error)}`);
      },
    );
    this.options.onChange();
    return started.view;
  }

  /** Revokes the tokens at the issuer (best effort: offline, they are forgotten anyway) and forgets them. */
  async logout(): Promise<void> {
    this.pending?.abort.abort();
    this.pending = null;
    const tokens = this.tokens;
    this.tokens = null;
    clearTimeout(this.timer);
    this.forget();
    if (tokens) {
      try {
        const config = await this.discover();
        if (tokens.refreshToken) await oidc.tokenRevocation(config, tokens.refreshToken, { token_type_hint: 'refresh_token' });
        await oidc.tokenRevocation(config, tokens.accessToken, { token_type_hint: 'access_token' });
      } catch (error) {
        this.options.logger.warn(`signed out, but the issuer could not be told to revoke the tokens: ${describe(error)}`);
      }
      this.options.logger.info(`signed out of ${this.options.org.issuer}`);
    }
    this.failure = undefined;
    this.options.onChange();
  }

  /** Refreshes the access token now; concurrent callers share one refresh. */
  refresh(): Promise<void> {
    return (this.refreshing ??= this.refreshOnce().finally(() => (this.refreshing = undefined)));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.pending?.abort.abort();
    this.pending = null;
  }

  private async refreshOnce(): Promise<void> {
    const tokens = this.tokens;
    if (!tokens) return;
    if (!tokens.refreshToken) {
      this.signOutLocally('the access token expired and the issuer gave no refresh token: sign in again');
      return;
    }
    const { org } = this.options;
    try {
      const config = await this.discover();
      const response = await oidc.refreshTokenGrant(config, tokens.refreshToken, resourceParameters(org));
      if (this.tokens !== tokens) return; // signed out or in again meanwhile
      this.failedRefreshes = 0;
      this.accept(toStoredTokens(response, org.issuer, org.groupsClaim, this.now(), tokens));
    } catch (error) {
      if (this.tokens !== tokens) return;
      if (error instanceof oidc.ResponseBodyError && error.error === 'invalid_grant') {
        this.signOutLocally(`the issuer no longer accepts this sign-in (${describe(error)}): sign in again`);
        return;
      }
      // Offline or the issuer is down: keep the sign-in, retry later.
      this.failedRefreshes++;
      this.fail(`could not refresh the sign-in: ${describe(error)}`);
      this.schedule(retryDelay(this.failedRefreshes));
    }
  }

  private accept(tokens: StoredTokens): void {
    this.tokens = tokens;
    this.failure = undefined;
    try {
      saveStoredTokens(this.options.secrets, tokens);
    } catch (error) {
      this.options.logger.warn(`the org sign-in could not be kept in ${this.options.secrets.description} (${describe(error)}): it lasts until Airlock stops`);
    }
    this.schedule();
    this.options.onChange();
  }

  private signOutLocally(reason: string): void {
    this.tokens = null;
    clearTimeout(this.timer);
    this.forget();
    this.fail(reason);
  }

  private fail(message: string): void {
    this.failure = message;
    this.options.logger.warn(`org sign-in: ${message}`);
    this.options.onChange();
  }

  private forget(): void {
    try {
      forgetStoredTokens(this.options.secrets);
    } catch (error) {
      this.options.logger.warn(`the org sign-in could not be removed from ${this.options.secrets.description}: ${describe(error)}`);
    }
  }

  private schedule(delay = this.tokens ? refreshDelay(this.tokens.expiresAt, this.now()) : undefined): void {
    clearTimeout(this.timer);
    if (delay === undefined) return;
    this.timer = setTimeout(() => void this.refresh(), delay);
    this.timer.unref();
  }

  private discover(): Promise<oidc.Configuration> {
    this.config ??= discoverIssuer(this.options.org).catch((error: Error) => {
      this.config = undefined; // try again next time
      throw new Error(`the issuer ${this.options.org.issuer} could not be reached: ${describe(error)}`);
    });
    return this.config;
  }
}

/** An error's message, with the OAuth error code when the issuer gave one; never a token. */
function describe(error: unknown): string {
  if (error instanceof oidc.ResponseBodyError) return `${error.error}${error.error_description ? `: ${error.error_description}` : ''}`;
  const cause = (error as Error).cause as Error | undefined;
  return `${(error as Error).message}${cause?.message ? ` (${cause.message})` : ''}`;
}
