import { useState } from 'react';
import type { ApiError } from '../api/airlock-api.js';
import { useApi } from '../api/api-context.js';
import { asApiError, useLive } from '../live.js';
import { formatShortTime } from './format.js';

/**
 * Over every page while protection is paused (from the tray, the CLI or here): calls a rule would
 * hold go through unasked, so the window says so, until when, and offers to resume now.
 */
export function ProtectionBanner() {
  const api = useApi();
  const { protection } = useLive();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (protection.pausedUntil === null) return null;

  const resume = async () => {
    setBusy(true);
    setError(null);
    try {
      // The banner goes away with the `protection-changed` event this causes.
      await api.call('resumeProtection');
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="banner banner-warning protection-banner" role="status" aria-label="Protection paused">
      <span>
        <strong>Protection paused until {formatShortTime(protection.pausedUntil)}</strong> — approvals are not asked. Calls that would wait for
        you go through and are recorded as allowed by <code>paused</code>; deny rules and masking still apply.
      </span>
      <button type="button" className="button button-small" disabled={busy} onClick={() => void resume()}>
        Resume
      </button>
      {error && <span role="alert">Could not resume: {error.message}</span>}
    </div>
  );
}
