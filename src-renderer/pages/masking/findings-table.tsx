import type { MaskFindingView } from '../../../src-gateway/control/contract.js';

function where(finding: MaskFindingView): string {
  const span = finding.end > finding.start ? `characters ${finding.start + 1}–${finding.end}` : 'the whole value';
  return finding.pointer ? `${finding.pointer}, ${span}` : span;
}

/** Every finding (detector, where, replacement) and how many each detector made. */
export function FindingsTable({ findings }: { findings: readonly MaskFindingView[] }) {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(finding.detector, (counts.get(finding.detector) ?? 0) + 1);
  const byCount = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return (
    <div className="mask-findings">
      <div className="table-scroll">
        <table className="findings-counts">
          <caption>Counts per detector</caption>
          <thead>
            <tr>
              <th scope="col">Detector</th>
              <th scope="col" className="numeric">
                Findings
              </th>
            </tr>
          </thead>
          <tbody>
            {byCount.map(([detector, count]) => (
              <tr key={detector}>
                <td>{detector}</td>
                <td className="numeric">{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table className="findings-list">
          <caption>Findings</caption>
          <thead>
            <tr>
              <th scope="col">Detector</th>
              <th scope="col">Where</th>
              <th scope="col">Replacement</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((finding, index) => (
              <tr key={index}>
                <td>{finding.detector}</td>
                <td>
                  <code>{where(finding)}</code>
                </td>
                <td>
                  <code>{finding.replacement}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
