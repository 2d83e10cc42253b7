import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../atomic-file.js';
import type { OrgPolicyView } from '../control/contract.js';
import type { Logger } from '../logger.js';
import type { OrgPolicy } from '../policy/policy-store.js';
import type { OrgFetch } from './org-fetch.js';
import { bundleSetsMasking, isOlderVersion, parsePolicyBundle, PolicyBundleSchema, type PolicyBundle } from './policy-bundle.js';

/** The last good bundle, kept in the data dir so it stays in force across restarts and offline. */
export const ORG_POLICY_FILE = 'org-policy.json';

/** The current access token for the hub, or undefined when signed out (the org identity provides it). */
export type AccessTokenSource = () => Promise<string | undefined>;

/** However long the hub says a bundle stays fresh, it is asked again at least this often. */
const MAX_POLL_SECONDS = 3600;
/** Failed polls back off up to this. */
const MAX_BACKOFF_SECONDS = 1800;
/** A bundle is a policy file's worth of JSON; anything much larger is not one. */
const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;

const SavedBundleSchema = z.strictObject({
  /** The hub it came from: a bundle from another org's hub is not this one's policy. */
  hub: z.string(),
  etag: z.string().nullable(),
  fetchedAt: z.number(),
  /** As the hub sent it; validated again on every load. */
  bundle: z.unknown(),
});

export interface PolicySyncOptions {
  /** The hub's base URL. */
  hub: string;
  /** The bundle's URL when it is not `<hub>/policy/bundle` (`org.policyUrl`). */
  url?: string;
  fetch: OrgFetch;
  accessToken: AccessTokenSource;
  dataDir: string;
  /** `org.policyPollFloorSeconds`: the shortest interval between polls. */
  floorSeconds: number;
  /** This Airlock's version, compared with the bundle's `minAirlockVersion`. */
  airlockVersion: string;
  /** Puts the org's policy in force (`PolicyStore.setOrg`). */
  apply(org: OrgPolicy | undefined): void;
  /** Called whenever `status()` changes. */
  onChange?(): void;
  logger: Logger;
  /** For the backoff's jitter; tests pass a fixed one. */
  random?: () => number;
}

/**
 * Keeps the org's policy bundle in force: loads the last good one from the data dir at start, then
 * polls the hub with `If-None-Match`, as often as its `Cache-Control: max-age` says but never more
 * often than the floor, and backs off (with jitter) while polls fail. A bundle that does not
 * validate is refused and the last good one stays in force; so does everything while offline.
 */
export class PolicySync {
  private bundle?: PolicyBundle;
  private etag: string | null = null;
  private fetchedAt: number | null = null;
  private checkedAt: number | null = null;
  private error?: string;
  private failures = 0;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private stopped = false;
  private readonly url: URL;

  constructor(private readonly options: PolicySyncOptions) {
    this.url = options.url ? new URL(options.url) : new URL('policy/bundle', options.hub.endsWith('/') ? options.hub : `${options.hub}/`);
  }

  /** Puts the saved bundle in force, if there is a good one, and polls the hub right away. */
  start(): void {
    this.loadSaved();
    void this.syncNow();
  }

  /** Polls the hub now (joining a poll under way) and schedules the next one. */
  syncNow(): Promise<void> {
    clearTimeout(this.timer);
    this.inFlight ??= this.poll().finally(() => {
      this.inFlight = undefined;
      this.options.onChange?.();
    });
    return this.inFlight;
  }

  status(): OrgPolicyView {
    const { bundle } = this;
    const requiresVersion = bundle?.minAirlockVersion;
    return {
      version: bundle?.version ?? null,
      etag: this.etag,
      fetchedAt: this.fetchedAt,
      checkedAt: this.checkedAt,
      ...(this.error === undefined ? {} : { error: this.error }),
      ruleCount: bundle?.policy.rules.length ?? 0,
      ...(requiresVersion && isOlderVersion(this.options.airlockVersion, requiresVersion) ? { requiresVersion } : {}),
      mandatoryDetectors: [...(bundle?.mandatoryDetectors ?? [])],
    };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async poll(): Promise<void> {
    let nextSeconds: number;
    try {
      nextSeconds = await this.fetchBundle();
      this.failures = 0;
      this.error = undefined;
    } catch (error) {
      this.failures++;
      const kept = this.bundle ? `the last good bundle (version ${this.bundle.version}) stays in force` : 'no org policy is in force yet';
      const previous = this.error;
      this.error = `${(error as Error).message}; ${kept}`;
      // Said once per kind of failure, not at every retry.
      if (this.error !== previous) this.options.logger.warn(`org policy not updated: ${this.error}`);
      nextSeconds = this.backoffSeconds();
    }
    this.checkedAt = Date.now();
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.syncNow(), nextSeconds * 1000);
      this.timer.unref();
    }
  }

  /** One request to the hub; returns the seconds until the next. @throws Error saying what went wrong, never with the token. */
  private async fetchBundle(): Promise<number> {
    const token = await this.options.accessToken();
    if (!token) throw new Error('not signed in to the organisation (airlock login)');
    let response: Response;
    try {
      response = await this.options.fetch(this.url, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(this.etag && this.bundle ? { 'if-none-match': this.etag } : {}) },
        // A redirect could carry the token elsewhere; the hub serves the bundle itself.
        redirect: 'error',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`the hub ${this.url.origin} cannot be reached: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    const maxAge = this.intervalSeconds(response.headers.get('cache-control'));
    if (response.status !== 200) await response.body?.cancel();
    if (response.status === 304) return maxAge;
    if (response.status === 401) throw new Error('the hub refused the access token (401): sign in again (airlock login)');
    if (response.status !== 200) throw new Error(`the hub answered ${response.status} ${response.statusText} for ${this.url.pathname}`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_BUNDLE_BYTES) {
      await response.body?.cancel();
      throw new Error(`the hub's policy bundle is larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MiB`);
    }
    const text = await response.text();
    if (Buffer.byteLength(text) > MAX_BUNDLE_BYTES) throw new Error(`the hub's policy bundle is larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MiB`);
    const bundle = parsePolicyBundle(text, `the policy bundle from ${this.url.origin}`);
    const etag = response.headers.get('etag');
    const fetchedAt = Date.now();
    const raw: unknown = JSON.parse(text);
    this.save({ hub: this.url.href, etag, fetchedAt, bundle: raw });
    this.use(bundle, bundleSetsMasking(raw), etag, fetchedAt);
    return maxAge;
  }

  /** `max-age` within [floor, MAX_POLL_SECONDS]; the floor when the hub gives none. */
  private intervalSeconds(cacheControl: string | null): number {
    const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl ?? '');
    const seconds = maxAge ? Number(maxAge[1]) : 0;
    return Math.min(MAX_POLL_SECONDS, Math.max(this.options.floorSeconds, seconds));
  }

  /** Exponential from the floor, capped, with jitter so a fleet does not return to the hub at once. */
  private backoffSeconds(): number {
    const ceiling = Math.min(MAX_BACKOFF_SECONDS, this.options.floorSeconds * 2 ** (this.failures - 1));
    return Math.max(this.options.floorSeconds, ceiling / 2 + ((this.options.random ?? Math.random)() * ceiling) / 2);
  }

  private use(bundle: PolicyBundle, setsMasking: boolean, etag: string | null, fetchedAt: number): void {
    const changed = this.bundle?.version !== bundle.version || this.etag !== etag;
    this.bundle = bundle;
    this.etag = etag;
    this.fetchedAt = fetchedAt;
    const { airlockVersion } = this.options;
    const required = bundle.minAirlockVersion;
    const refusal =
      required && isOlderVersion(airlockVersion, required)
        ? `this Airlock is version ${airlockVersion}, but your organisation requires version ${required} or later: update Airlock; until then it refuses every call`
        : undefined;
    this.options.apply({ policy: bundle.policy, mandatoryDetectors: bundle.mandatoryDetectors, setsMasking, ...(refusal ? { refusal } : {}) });
    if (changed) this.options.logger.info(`org policy bundle ${bundle.version} in force (${bundle.policy.rules.length} rules)`);
    if (refusal) this.options.logger.error(refusal);
  }

  private loadSaved(): void {
    const path = join(this.options.dataDir, ORG_POLICY_FILE);
    if (!existsSync(path)) return;
    try {
      const saved = SavedBundleSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
      if (saved.hub !== this.url.href) {
        this.options.logger.warn(`the saved org policy came from ${saved.hub}, not ${this.url.href}; it is not used`);
        return;
      }
      this.use(PolicyBundleSchema.parse(saved.bundle), bundleSetsMasking(saved.bundle), saved.etag, saved.fetchedAt);
    } catch (error) {
      this.error = `the saved org policy ${path} is unreadable and was ignored: ${(error as Error).message.split('\n')[0]}`;
      this.options.logger.error(this.error);
    }
  }

  private save(saved: z.infer<typeof SavedBundleSchema>): void {
    writeFileAtomically(join(this.options.dataDir, ORG_POLICY_FILE), JSON.stringify(saved) + '\n', 0o600);
  }
}
