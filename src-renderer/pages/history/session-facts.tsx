import type { SessionView } from '../../../src-gateway/control/contract.js';
import { formatDateTime, formatDuration } from '../../components/format.js';

/** Who and when: the facts of one session. */
export function SessionFacts({ session }: { session: SessionView }) {
  return (
    <dl className="facts">
      <div>
        <dt>Server</dt>
        <dd>{session.server}</dd>
      </div>
      <div>
        <dt>Client</dt>
        <dd>{session.client}</dd>
      </div>
      {session.user && (
        <div>
          <dt>User</dt>
          <dd>
            {session.user}
            {session.groups.length > 0 && ` (${session.groups.join(', ')})`}
          </dd>
        </div>
      )}
      <div>
        <dt>Agent</dt>
        <dd>{session.agent ?? 'unknown'}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{formatDateTime(session.startedAt)}</dd>
      </div>
      <div>
        <dt>Ended</dt>
        <dd>
          {session.endedAt === null
            ? 'still open'
            : `after ${formatDuration(session.endedAt - session.startedAt)}${session.endReason ? ` (${session.endReason})` : ''}`}
        </dd>
      </div>
      <div>
        <dt>Calls</dt>
        <dd>
          {session.callCount} ({session.deniedCount} denied, {session.maskedCount} masked)
        </dd>
      </div>
    </dl>
  );
}
