import type { SessionView } from '../../../src-gateway/control/contract.js';
import { formatDateTime, formatDuration } from '../../components/format.js';
import { Link } from '../../router.js';

/** Recorded sessions, newest first; each links to its timeline. */
export function SessionsTable({ sessions }: { sessions: SessionView[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Recorded sessions, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Server</th>
            <th scope="col">Client</th>
            <th scope="col">Agent</th>
            <th scope="col" className="numeric">
              Calls
            </th>
            <th scope="col" className="numeric">
              Denied
            </th>
            <th scope="col" className="numeric">
              Masked
            </th>
            <th scope="col">Ended</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => (
            <tr key={session.id}>
              <td>
                <Link to={`/history/${encodeURIComponent(session.id)}`}>{formatDateTime(session.startedAt)}</Link>
              </td>
              <td>{session.server}</td>
              <td>{session.client}</td>
              <td>{session.agent ?? <span className="muted">unknown</span>}</td>
              <td className="numeric">{session.callCount}</td>
              <td className="numeric">{session.deniedCount}</td>
              <td className="numeric">{session.maskedCount}</td>
              <td>
                {session.endedAt === null ? (
                  <span className="badge badge-open">Open</span>
                ) : (
                  <span title={session.endReason ?? undefined}>after {formatDuration(session.endedAt - session.startedAt)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
