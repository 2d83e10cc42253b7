import { useState } from 'react';
import type { ApiError } from '../../api/airlock-api.js';
import { useApi } from '../../api/api-context.js';
import { ErrorMessage } from '../../components/error-message.js';
import { asApiError } from '../../live.js';

/** Downloads the session's recorded (masked) messages as JSONL. */
export function ExportButton({ sessionId }: { sessionId: string }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const jsonl = await api.exportSession(sessionId);
      const url = URL.createObjectURL(new Blob([jsonl], { type: 'application/x-ndjson' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `airlock-session-${sessionId}.jsonl`;
      document.body.append(link);
      link.click();
      link.remove();
      // The download has started from the URL; it can go once the click is handled.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (failure) {
      setError(asApiError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void download()} disabled={busy}>
        {busy ? 'Exporting…' : 'Export JSONL'}
      </button>
      <ErrorMessage what="The export failed" error={error} />
    </>
  );
}
