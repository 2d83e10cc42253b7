import { ErrorMessage } from '../components/error-message.js';
import { isConnectionProblem, useLive } from '../live.js';
import { ActivityCharts } from './activity/activity-charts.js';
import { CallsTable } from './activity/calls-table.js';
import { ConnectAgentHint } from './activity/connect-agent-hint.js';
import { WaitingApprovals } from './activity/waiting-approvals.js';
import './activity/activity.css';

/** What agents are doing right now: waiting approvals, the last hour's charts, and calls as they happen. */
export function ActivityPage() {
  const live = useLive();
  const latest = live.calls[0];
  return (
    <div className="page">
      <header className="page-header">
        <h1>Activity</h1>
        <p role="status" className="live-status">
          {live.connected ? 'Live' : live.feed === 'connecting' ? 'Connecting…' : 'Not live'}
          {latest && ` · last call ${latest.tool ?? latest.method} on ${latest.server}: ${latest.status}`}
        </p>
      </header>
      <WaitingApprovals pending={live.pending} />
      <ActivityCharts />
      <section aria-labelledby="calls-heading">
        <h2 id="calls-heading">Calls</h2>
        {live.calls.length > 0 ? (
          <CallsTable calls={live.calls} />
        ) : live.loaded ? (
          <ConnectAgentHint />
        ) : live.problem ? (
          isConnectionProblem(live.problem) ? (
            <p className="muted">Nothing to show until this window is connected (see above).</p>
          ) : (
            <ErrorMessage what="Activity could not be loaded" error={live.problem} />
          )
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    </div>
  );
}
