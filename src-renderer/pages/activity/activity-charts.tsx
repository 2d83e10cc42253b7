import { useEffect, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { CallsPerMinuteChart } from '../../components/calls-per-minute-chart.js';
import { DecisionsChart } from '../../components/decisions-chart.js';
import { ErrorMessage } from '../../components/error-message.js';
import { TopToolsChart } from '../../components/top-tools-chart.js';
import { useApiData } from '../../components/use-api-data.js';
import { useThrottled } from '../../components/use-throttled.js';
import { useLive } from '../../live.js';

const WINDOW_MINUTES = 60;
/** Live events refresh the charts at most this often. */
const REFRESH_MS = 5_000;
/** The window slides even when nothing happens. */
const SLIDE_MS = 60_000;

/** The last hour at a glance: calls per minute, decisions, top tools. */
export function ActivityCharts() {
  const api = useApi();
  const { revision } = useLive();
  const [minuteTick, setMinuteTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setMinuteTick((tick) => tick + 1), SLIDE_MS);
    return () => clearInterval(timer);
  }, []);
  const trigger = useThrottled(`${revision}:${minuteTick}`, REFRESH_MS);
  const stats = useApiData(() => api.call('stats', { query: { minutes: WINDOW_MINUTES } }), [api, trigger]);

  return (
    <section className="charts" aria-labelledby="charts-heading">
      <h2 id="charts-heading">Last hour</h2>
      <ErrorMessage what="The charts could not be loaded" error={stats.error} />
      {stats.data && (
        <div className="chart-grid">
          <CallsPerMinuteChart data={stats.data.callsPerMinute} />
          <DecisionsChart decisions={stats.data.decisions} />
          <TopToolsChart tools={stats.data.topTools} />
        </div>
      )}
    </section>
  );
}
