import type { DetectorView } from '../../../src-gateway/control/contract.js';

/**
 * One checkbox per detector; the preview re-runs with the checked ones. A detector the policy does
 * not use for the default target says so, because unchecking it then changes nothing there.
 */
export function DetectorToggles({ detectors, off, onChange }: { detectors: DetectorView[]; off: ReadonlySet<string>; onChange(off: Set<string>): void }) {
  const toggle = (name: string, on: boolean) => {
    const next = new Set(off);
    if (on) next.delete(name);
    else next.add(name);
    onChange(next);
  };
  return (
    <fieldset className="detector-toggles">
      <legend>Detectors</legend>
      <div className="toggle-actions">
        <button type="button" className="button-small" onClick={() => onChange(new Set())} disabled={off.size === 0}>
          All on
        </button>
        <button type="button" className="button-small" onClick={() => onChange(new Set(detectors.map((d) => d.name)))} disabled={off.size === detectors.length}>
          All off
        </button>
      </div>
      <ul className="toggle-list">
        {detectors.map((detector) => (
          <li key={detector.name}>
            <label title={detector.description}>
              <input type="checkbox" checked={!off.has(detector.name)} onChange={(e) => toggle(detector.name, e.target.checked)} />
              {detector.name}
              {!detector.enabled && <span className="muted"> (off in the policy)</span>}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
