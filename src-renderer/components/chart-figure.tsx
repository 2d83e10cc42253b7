import { useId, type ReactNode } from 'react';
import './charts.css';

/**
 * A chart with its title, a one-sentence summary as its accessible name, and the same numbers as a
 * table behind "Show as table" for anyone who cannot read the picture.
 */
export function ChartFigure({ title, summary, chart, table }: { title: string; summary: string; chart: ReactNode; table: ReactNode }) {
  const titleId = useId();
  const summaryId = useId();
  return (
    <figure className="chart" aria-labelledby={titleId} aria-describedby={summaryId}>
      <figcaption>
        <h3 id={titleId}>{title}</h3>
        <p id={summaryId} className="chart-summary">
          {summary}
        </p>
      </figcaption>
      <div className="chart-body">{chart}</div>
      <details className="chart-table">
        <summary>Show as table</summary>
        {table}
      </details>
    </figure>
  );
}
