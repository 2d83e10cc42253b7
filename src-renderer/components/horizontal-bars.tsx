/** One bar: its label, its value, and a class that colours it. */
export interface Bar {
  key: string;
  label: string;
  value: number;
  className?: string;
}

/** Labelled horizontal bars scaled to the largest value; the numbers are printed beside them. */
export function HorizontalBars({ bars }: { bars: Bar[] }) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <ul className="hbars" aria-hidden="true">
      {bars.map((bar) => (
        <li key={bar.key} className="hbar">
          <span className="hbar-label" title={bar.label}>
            {bar.label}
          </span>
          <svg className="hbar-track" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
            <rect className={`hbar-fill ${bar.className ?? ''}`} x="0" y="0" height="10" width={(bar.value / max) * 100} />
          </svg>
          <span className="hbar-value">{bar.value}</span>
        </li>
      ))}
    </ul>
  );
}
