import './diff-view.css';

/** Added and removed lines are marked; the `---`/`+++` file headers are not changes. */
function lineClass(line: string): string | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-header';
  if (line.startsWith('+')) return 'diff-added';
  if (line.startsWith('-')) return 'diff-removed';
  return undefined;
}

/** A unified diff with added and removed lines marked, as text (never as HTML). */
export function DiffView({ diff, label }: { diff: string; label: string }) {
  return (
    <pre className="diff" tabIndex={0} aria-label={label}>
      {diff.split('\n').map((line, index) => (
        <span key={index} className={lineClass(line)}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
