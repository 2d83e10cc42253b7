import { Countdown } from '../../components/countdown.js';
import { describeCall } from '../../components/format.js';
import type { PendingApproval } from '../../live.js';
import { Link } from '../../router.js';

/** Calls waiting for a person, above the activity, each linking to its place on the Approvals page. */
export function WaitingApprovals({ pending }: { pending: PendingApproval[] }) {
  if (pending.length === 0) return null;
  return (
    <section className="waiting" aria-labelledby="waiting-heading">
      <h2 id="waiting-heading">
        {pending.length} call{pending.length === 1 ? '' : 's'} waiting for your approval
      </h2>
      <ul>
        {pending.map((approval) => (
          <li key={approval.id} className="waiting-item">
            <span>
              <strong>{describeCall(approval.method, approval.tool)}</strong> on {approval.server} from {approval.client}
              <span className="muted"> — {approval.reason}</span>
            </span>
            <Countdown until={approval.expiresAt} />
            <Link to={`/approvals/${encodeURIComponent(approval.id)}`} className="button button-primary">
              Review<span className="visually-hidden"> {describeCall(approval.method, approval.tool)} on {approval.server}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
