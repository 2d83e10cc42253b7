import { useReducer, useState } from 'react';
import type { OrgLoginView, OrgStatusView } from '../../src-gateway/control/contract.js';
import { useApi } from '../api/api-context.js';
import { errorMessage } from '../components/api-error-text.js';
import { ErrorMessage } from '../components/error-message.js';
import { formatDateTime } from '../components/format.js';
import { useApiData } from '../components/use-api-data.js';
import { useLiveEvent } from '../live.js';
import { AuditSection, PolicySection } from './org/org-sections.js';
import '../components/forms.css';

/**
 * Org mode: who Airlock is signed in as (and their groups, what `group` rules match), signing in
 * and out, the org policy bundle in force and the audit records still to ship.
 */
export function OrgPage() {
  const api = useApi();
  const [revision, reload] = useReducer((n: number) => n + 1, 0);
  const loaded = useApiData(() => api.call('orgStatus'), [api, revision]);
  // A sign-in completes in the background (in another browser, on another device): the gateway says so.
  useLiveEvent((event) => {
    if (event.type === 'org-changed') reload();
  });
  const status = loaded.data;

  return (
    <div className="page org-page">
      <h1>Org</h1>
      <ErrorMessage what="The org status could not be read" error={loaded.error} />
      {!status && loaded.loading && <p className="muted">Loading…</p>}
      {status && !status.configured && (
        <p className="note">
          Org mode is off. To sign in to your organisation, add an <code>org</code> section (its OpenID issuer and hub) to the config file.
        </p>
      )}
      {status?.configured && (
        <>
          <SignInSection status={status} onChanged={reload} />
          <PolicySection policy={status.policy} hub={status.hub} />
          <AuditSection audit={status.audit} />
        </>
      )}
    </div>
  );
}

function SignInSection({ status, onChanged }: { status: OrgStatusView; onChanged: () => void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
      onChanged();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const { identity, pendingLogin } = status;
  return (
    <section aria-labelledby="org-identity-heading">
      <h2 id="org-identity-heading">Sign-in</h2>
      <p className="muted">Issuer: {status.issuer}</p>
      {identity ? (
        <dl className="facts">
          <div>
            <dt>Signed in as</dt>
            <dd>{identity.email ?? identity.name ?? identity.subject}</dd>
          </div>
          <div>
            <dt>Groups</dt>
            <dd>{identity.groups.length ? identity.groups.join(', ') : 'none'}</dd>
          </div>
          <div>
            <dt>Token renewed before</dt>
            <dd>{formatDateTime(identity.expiresAt)}</dd>
          </div>
        </dl>
      ) : (
        <p>Signed out. Sessions run without a user, and rules for groups do not match.</p>
      )}
      {pendingLogin && <PendingLogin view={pendingLogin} />}
      {status.loginError && (
        <p role="alert" className="banner banner-error">
          {status.loginError}
        </p>
      )}
      {problem && (
        <p role="alert" className="banner banner-error">
          {problem}
        </p>
      )}
      <div className="toolbar">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void run(() => api.call('orgLogin', { body: { flow: 'browser' } }))}>
          {identity ? 'Sign in again' : 'Sign in'}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void run(() => api.call('orgLogin', { body: { flow: 'device' } }))}>
          Sign in with a code
        </button>
        {identity && (
          <button type="button" className="button" disabled={busy} onClick={() => void run(() => api.call('orgLogout'))}>
            Sign out
          </button>
        )}
      </div>
    </section>
  );
}

/** What the person must do to finish signing in: open a link (browser) or enter a code. */
function PendingLogin({ view }: { view: OrgLoginView }) {
  if (view.flow === 'browser') {
    return (
      <p role="status" className="banner banner-warning">
        Finish signing in in your browser:{' '}
        <a href={view.authorizationUrl} target="_blank" rel="noreferrer">
          open the sign-in page
        </a>
        .
      </p>
    );
  }
  return (
    <p role="status" className="banner banner-warning">
      Open{' '}
      <a href={view.verificationUriComplete ?? view.verificationUri} target="_blank" rel="noreferrer">
        {view.verificationUri}
      </a>{' '}
      and enter the code <strong>{view.userCode}</strong>.
    </p>
  );
}
