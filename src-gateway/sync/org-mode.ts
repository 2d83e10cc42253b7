import type Database from 'better-sqlite3';
import type { OrgConfig } from '../config/config-schema.js';
import type { OrgStatusView } from '../control/contract.js';
import type { ControlEventBus } from '../control/control-events.js';
import type { Logger } from '../logger.js';
import { PACKAGE_VERSION } from '../package-root.js';
import type { PolicyStore } from '../policy/policy-store.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { AuditOutbox } from '../store/audit-outbox.js';
import { AuditShipper } from './audit-shipper.js';
import { OrgIdentity } from './identity/org-identity.js';
import { orgFetch } from './org-fetch.js';
import { orgStatusView, type OrgStatusParts } from './org-status.js';
import { PolicySync } from './policy-sync.js';

export interface OrgModeOptions {
  org: OrgConfig;
  secrets: SecretStore;
  logger: Logger;
  events: ControlEventBus;
  /** Where the org's policy bundle goes into force, alongside the local policy. */
  policy: PolicyStore;
  dataDir: string;
  /** The gateway's store, whose audit outbox (filled by `MessageLog` in org mode) is shipped to the hub. */
  db: Database.Database;
}

/** Org mode while the gateway runs: the sign-in, the org policy bundle and audit shipping. */
export interface OrgMode {
  identity: OrgIdentity;
  status(): OrgStatusView;
  /** Fetches the policy bundle and ships the outbox now, instead of at their next interval. */
  syncNow(): Promise<OrgStatusView>;
  stop(): void;
}

/** Starts org mode for the config's `org` section; every change is published as `org-changed`. */
export function startOrgMode({ org, secrets, logger, events, policy, dataDir, db }: OrgModeOptions): OrgMode {
  // Each part of org mode puts its status view here when it starts; null until then.
  const parts: OrgStatusParts = { policy: () => null, audit: () => null };
  // Each part that talks to the hub adds its "do it now" here.
  const syncs: Array<() => Promise<void>> = [];
  const status = () => orgStatusView(org, identity, parts);
  const changed = () => events.publish('org-changed', status());
  // A sign-in fetches the org's policy at once rather than at the next poll.
  let signedIn = false;
  const identity = new OrgIdentity({
    org,
    secrets,
    logger,
    onChange() {
      const now = identity.signedIn() !== null;
      if (now && !signedIn) {
        void policySync.syncNow();
        void auditShipper.shipNow();
      }
      signedIn = now;
      changed();
    },
  });
  signedIn = identity.signedIn() !== null;

  // One connection pool (trusting `caFile`) for everything that talks to the hub.
  const hubFetch = orgFetch(org.caFile);
  const policySync = new PolicySync({
    hub: org.hub,
    url: org.policyUrl,
    fetch: hubFetch,
    accessToken: async () => (await identity.accessToken()) ?? undefined,
    dataDir,
    floorSeconds: org.policyPollFloorSeconds,
    airlockVersion: PACKAGE_VERSION,
    apply: (orgPolicy) => policy.setOrg(orgPolicy),
    onChange: changed,
    logger,
  });
  parts.policy = () => policySync.status();
  syncs.push(() => policySync.syncNow());
  policySync.start();

  const auditShipper = new AuditShipper({
    outbox: new AuditOutbox(db),
    hub: org.hub,
    logsUrl: org.logsUrl,
    fetch: hubFetch,
    accessToken: async () => (await identity.accessToken()) ?? undefined,
    audit: org.audit,
    version: PACKAGE_VERSION,
    onChange: changed,
    logger,
  });
  parts.audit = () => auditShipper.status();
  syncs.push(() => auditShipper.shipNow());
  auditShipper.start();

  return {
    identity,
    status,
    async syncNow() {
      const results = await Promise.allSettled(syncs.map((sync) => sync()));
      for (const result of results) if (result.status === 'rejected') logger.warn(`org sync: ${(result.reason as Error).message}`);
      changed();
      return status();
    },
    stop() {
      policySync.stop();
      void auditShipper.stop();
      identity.stop();
    },
  };
}
