import type { OrgAuditView, OrgPolicyView } from '../../../src-gateway/control/contract.js';
import { formatDateTime } from '../../components/format.js';

/** The org policy bundle in force: its version and age, and why the last fetch failed. */
export function PolicySection({ policy, hub }: { policy: OrgPolicyView | null; hub?: string }) {
  return (
    <section aria-labelledby="org-policy-heading">
      <h2 id="org-policy-heading">Org policy</h2>
      {!policy ? (
        <p className="muted">Not synced from {hub ?? 'the hub'} yet.</p>
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>Bundle</dt>
              <dd>{policy.version ?? 'none yet'}</dd>
            </div>
            <div>
              <dt>Rules</dt>
              <dd>{policy.ruleCount}</dd>
            </div>
            <div>
              <dt>Fetched</dt>
              <dd>{policy.fetchedAt === null ? 'never' : formatDateTime(policy.fetchedAt)}</dd>
            </div>
            <div>
              <dt>Last checked</dt>
              <dd>{policy.checkedAt === null ? 'never' : formatDateTime(policy.checkedAt)}</dd>
            </div>
            {policy.mandatoryDetectors.length > 0 && (
              <div>
                <dt>Always masked</dt>
                <dd>{policy.mandatoryDetectors.join(', ')}</dd>
              </div>
            )}
          </dl>
          {policy.error && (
            <p role="alert" className="banner banner-warning">
              The last fetch failed: {policy.error}. The bundle above stays in force.
            </p>
          )}
          {policy.requiresVersion && (
            <p role="alert" className="banner banner-error">
              Your organisation requires Airlock {policy.requiresVersion} or newer: calls are refused until you update.
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** The audit records committed here and not yet acknowledged by the hub. */
export function AuditSection({ audit }: { audit: OrgAuditView | null }) {
  return (
    <section aria-labelledby="org-audit-heading">
      <h2 id="org-audit-heading">Audit shipping</h2>
      {!audit ? (
        <p className="muted">Not running.</p>
      ) : (
        <>
          <dl className="facts">
            <div>
              <dt>Waiting to ship</dt>
              <dd>{audit.unshipped}</dd>
            </div>
            <div>
              <dt>Oldest waiting</dt>
              <dd>{audit.oldestUnshippedAt === null ? '—' : formatDateTime(audit.oldestUnshippedAt)}</dd>
            </div>
            <div>
              <dt>Last shipped</dt>
              <dd>{audit.lastShippedAt === null ? 'never' : formatDateTime(audit.lastShippedAt)}</dd>
            </div>
            {audit.dropped > 0 && (
              <div>
                <dt>Dropped unshipped</dt>
                <dd>{audit.dropped}</dd>
              </div>
            )}
          </dl>
          {audit.lastError && (
            <p role="alert" className="banner banner-warning">
              The last attempt failed: {audit.lastError}. Records stay queued until the hub takes them.
            </p>
          )}
        </>
      )}
    </section>
  );
}
