import type { StatsView } from '../../src-gateway/control/contract.js';
import { ChartFigure } from './chart-figure.js';
import { formatShortTime } from './format.js';

/** Bars of calls per minute over the stats window, oldest on the left. */
export function CallsPerMinuteChart({ data }: { data: StatsView['callsPerMinute'] }) {
  const total = data.reduce((sum, point) => sum + point.count, 0);
  const peak = data.reduce((best, point) => (point.count > best.count ? point : best), { minute: 0, count: 0 });
  const max = Math.max(1, peak.count);
  const width = Math.max(1, data.length);
  // The table lists only the minutes with calls: sixty rows of zeros say less than the summary.
  const busy = data.filter((point) => point.count > 0);
  const summary =
    total === 0
      ? `No calls in the last ${data.length} minutes.`
      : `${total} call${total === 1 ? '' : 's'} in the last ${data.length} minutes; the busiest minute, ${formatShortTime(peak.minute)}, had ${peak.count}.`;
  return (
    <ChartFigure
      title="Calls per minute"
      summary={summary}
      chart={
        <div className="vbars" aria-hidden="true">
          <span className="vbars-max">{max}</span>
          <svg className="vbars-plot" viewBox={`0 0 ${width} 100`} preserveAspectRatio="none" focusable="false">
            <line className="vbars-axis" x1="0" y1="100" x2={width} y2="100" />
            {data.map((point, index) => (
              <rect key={point.minute} className="vbar" x={index + 0.15} width="0.7" y={100 - (point.count / max) * 100} height={(point.count / max) * 100}>
                <title>{`${formatShortTime(point.minute)}: ${point.count}`}</title>
              </rect>
            ))}
          </svg>
          {data.length > 0 && (
            <span className="vbars-range">
              <span>{formatShortTime(data[0].minute)}</span>
              <span>{formatShortTime(data[data.length - 1].minute)}</span>
            </span>
          )}
        </div>
      }
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Minute</th>
              <th scope="col">Calls</th>
            </tr>
          </thead>
          <tbody>
            {busy.map((point) => (
              <tr key={point.minute}>
                <td>{formatShortTime(point.minute)}</td>
                <td>{point.count}</td>
              </tr>
            ))}
            {busy.length === 0 && (
              <tr>
                <td colSpan={2}>No calls in this window.</td>
              </tr>
            )}
          </tbody>
        </table>
      }
    />
  );
}
