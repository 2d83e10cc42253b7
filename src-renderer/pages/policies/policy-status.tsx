import type { PolicyView } from '../../../src-gateway/control/contract.js';
import { formatDateTime } from '../../components/format.js';

/** Where the policy in force comes from, when it was loaded, and whether the last reload failed. */
export function PolicyStatus({ policy }: { policy: PolicyView }) {
  const { status } = policy;
  return (
    <section aria-labelledby="policy-status-heading" className="policy-status">
      <h2 id="policy-status-heading">In force</h2>
      {status.error && (
        <div role="alert" className="banner banner-error">
          <strong>The last reload failed; the last good policy stays in force.</strong>
          <pre className="policy-error">{status.error}</pre>
          Fix the file and save it: the policy reloads when it changes.
        </div>
      )}
      <dl className="facts">
        <div>
          <dt>Source</dt>
          <dd>{status.source ? <code>{status.source}</code> : 'The embedded default policy (no policy file configured)'}</dd>
        </div>
        <div>
          <dt>Loaded</dt>
          <dd>
            <time dateTime={new Date(status.loadedAt).toISOString()}>{formatDateTime(status.loadedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Rules</dt>
          <dd>{policy.rules.length}</dd>
        </div>
        <div>
          <dt>When no rule matches</dt>
          <dd>
            <ActionBadge action={policy.defaultAction} />
          </dd>
        </div>
      </dl>
    </section>
  );
}

const ACTION_WORDS = { allow: 'Allow', deny: 'Deny', approve: 'Ask a person' } as const;

/** A rule's action as a coloured word. */
export function ActionBadge({ action }: { action: keyof typeof ACTION_WORDS }) {
  return <span className={`action-badge action-${action}`}>{ACTION_WORDS[action]}</span>;
}
