import { HOW_TO_OPEN } from '../api/http-api.js';
import { useLive } from '../live.js';

/**
 * A banner over every page when the window cannot follow the gateway: no token, a refused token
 * (the token changes at every gateway start), the gateway gone, or just the live feed down.
 */
export function ConnectionBanner() {
  const { problem, feed } = useLive();
  if (problem?.code === 'unauthorized') {
    const missing = problem.message.includes(HOW_TO_OPEN);
    return (
      <div className="banner banner-error" role="alert">
        <strong>{missing ? 'Not connected to Airlock.' : 'Airlock refused this window’s token.'}</strong>{' '}
        {missing ? (
          <>This window was opened without its control token.</>
        ) : (
          <>The token changes every time the gateway starts, so this window’s one may be out of date.</>
        )}{' '}
        To connect, <Instructions />.
      </div>
    );
  }
  if (problem?.code === 'unavailable') {
    return (
      <div className="banner banner-error" role="alert">
        <strong>Airlock is not reachable.</strong> {problem.message} This window reconnects by itself once the gateway is back.
      </div>
    );
  }
  if (feed === 'down') {
    return (
      <div className="banner banner-warning" role="status">
        <strong>Live updates are interrupted.</strong> Reconnecting… What you see may be out of date.
      </div>
    );
  }
  return null;
}

/** HOW_TO_OPEN with its commands set as code. */
function Instructions() {
  return (
    <>
      open the link printed by <code>airlock gateway</code>, or run <code>airlock ui</code>
    </>
  );
}
