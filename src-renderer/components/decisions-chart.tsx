import type { StatsView } from '../../src-gateway/control/contract.js';
import { ChartFigure } from './chart-figure.js';
import { HorizontalBars } from './horizontal-bars.js';

const LABELS: Record<keyof StatsView['decisions'], string> = {
  allowed: 'Allowed',
  masked: 'Masked',
  approved: 'Approved by a person',
  denied: 'Denied',
  failed: 'Failed',
};

/** How the calls in the stats window were decided. */
export function DecisionsChart({ decisions }: { decisions: StatsView['decisions'] }) {
  const entries = (Object.keys(LABELS) as Array<keyof typeof LABELS>).map((key) => ({ key, label: LABELS[key], value: decisions[key] ?? 0 }));
  const total = entries.reduce((sum, entry) => sum + entry.value, 0);
  const summary = total === 0 ? 'No decisions yet.' : entries.filter((entry) => entry.value > 0).map((entry) => `${entry.label}: ${entry.value}`).join(', ') + '.';
  return (
    <ChartFigure
      title="Decisions"
      summary={summary}
      chart={<HorizontalBars bars={entries.map((entry) => ({ ...entry, className: `bar-${entry.key}` }))} />}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">Decision</th>
              <th scope="col">Calls</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.key}>
                <td>{entry.label}</td>
                <td>{entry.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
