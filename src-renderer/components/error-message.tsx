import type { ApiError } from '../api/airlock-api.js';
import { isConnectionProblem, useLive } from '../live.js';

/**
 * A failed request, said so a person can act on it; `what` names what could not be done. Nothing
 * when the connection banner already says it (no token, token refused, gateway gone).
 */
export function ErrorMessage({ what, error }: { what: string; error: ApiError | null }) {
  const { problem } = useLive();
  if (!error || (isConnectionProblem(error) && problem?.code === error.code)) return null;
  return (
    <p className="error-message" role="alert">
      <strong>{what}:</strong> {error.message}
    </p>
  );
}
