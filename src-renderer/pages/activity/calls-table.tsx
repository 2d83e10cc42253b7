import type { CallView } from '../../../src-gateway/control/contract.js';
import { formatDuration, formatTime } from '../../components/format.js';
import { StatusBadge } from '../../components/status-badge.js';
import { Link } from '../../router.js';

/** Recent calls, newest first; each tool links to its session's history. */
export function CallsTable({ calls }: { calls: CallView[] }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <caption className="visually-hidden">Recent calls, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Client</th>
            <th scope="col">Server</th>
            <th scope="col">Tool</th>
            <th scope="col">Status</th>
            <th scope="col">Rule</th>
            <th scope="col" className="numeric">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr key={call.id}>
              <td>
                <time dateTime={new Date(call.ts).toISOString()}>{formatTime(call.ts)}</time>
              </td>
              <td>{call.client}</td>
              <td>{call.server}</td>
              <td>
                <Link to={`/history/${encodeURIComponent(call.sessionId)}`}>{call.tool ?? call.method}</Link>
              </td>
              <td>
                <StatusBadge status={call.status} />
                {call.detectors.length > 0 && <span className="muted small"> {call.detectors.join(', ')}</span>}
              </td>
              <td>{call.ruleId ?? <span className="muted">—</span>}</td>
              <td className="numeric">{formatDuration(call.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
