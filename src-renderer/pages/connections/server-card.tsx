import { useState } from 'react';
import type { ConnectionTestView, ConnectionView } from '../../../src-gateway/control/contract.js';
import { useApi } from '../../api/api-context.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { CopyButton } from '../../components/copy-button.js';
import { errorMessage } from '../../components/api-error-text.js';
import { describeServer } from './connection-draft.js';
import { ConnectionForm } from './connection-form.js';
import { HeldTools } from './held-tools.js';
import { TestResult } from './test-result.js';

/** "OK", "Failed" or "Not tested", from the last test. */
function StatusWord({ test }: { test: ConnectionTestView | null }) {
  if (!test) return <span className="conn-status conn-untested">Not tested</span>;
  return test.ok ? <span className="conn-status conn-ok">✓ OK</span> : <span className="conn-status conn-failed">✕ Failed</span>;
}

/** The newer of the listed last test and the one just run here (the list may not have caught up). */
function latest(a: ConnectionTestView | null, b: ConnectionTestView | undefined): ConnectionTestView | null {
  if (!b) return a;
  return !a || b.at >= a.at ? b : a;
}

/** One downstream server: what it is, its agent URL, its last test, held tools, and what can be done to it. */
export function ServerCard({ view, onChanged }: { view: ConnectionView; onChanged(): void }) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const [testing, setTesting] = useState(false);
  const [tested, setTested] = useState<ConnectionTestView>();
  const [error, setError] = useState<string>();
  const test = latest(view.lastTest, tested);
  const headingId = `server-${view.name}`;

  const runTest = async () => {
    setTesting(true);
    setError(undefined);
    try {
      setTested(await api.call('testConnection', { params: { name: view.name } }));
    } catch (failure) {
      setError(`Could not test ${view.name}: ${errorMessage(failure)}`);
    } finally {
      setTesting(false);
    }
  };
  const remove = async () => {
    setError(undefined);
    try {
      await api.call('removeConnection', { params: { name: view.name } });
      onChanged();
    } catch (failure) {
      setError(`Could not remove ${view.name}: ${errorMessage(failure)}`);
    }
  };

  return (
    <article className="server-card" aria-labelledby={headingId}>
      <header className="server-card-head">
        <h3 id={headingId}>{view.name}</h3>
        <span className="tag">{view.kind === 'stdio' ? 'command' : 'HTTP'}</span>
        <span className={`tag tag-${view.source}`}>{view.source === 'config' ? 'config file' : 'added here'}</span>
        <StatusWord test={test} />
      </header>
      <dl className="facts">
        <div className="facts-wide">
          <dt>{view.kind === 'stdio' ? 'Runs' : 'URL'}</dt>
          <dd>
            <code>{describeServer(view)}</code>
          </dd>
        </div>
        <div>
          <dt>Tools</dt>
          <dd>{test?.ok ? test.tools.length : <span className="muted">test to see</span>}</dd>
        </div>
        <div>
          <dt>Open sessions</dt>
          <dd>{view.openSessions}</dd>
        </div>
        {view.secretKeys.length > 0 && (
          <div>
            <dt>Credentials</dt>
            <dd>{view.secretKeys.join(', ')} (in the OS keychain)</dd>
          </div>
        )}
        <div className="facts-wide">
          <dt>Agent URL</dt>
          <dd className="with-action">
            <code>{view.agentUrl}</code> <CopyButton text={view.agentUrl} what={`agent URL of ${view.name}`} />
          </dd>
        </div>
      </dl>

      {view.heldTools.length > 0 && <HeldTools server={view.name} held={view.heldTools} onDecided={onChanged} />}

      <div className="form-actions">
        <button type="button" onClick={runTest} disabled={testing} aria-label={`Test ${view.name}`}>
          {testing ? 'Testing…' : 'Test'}
        </button>
        {view.source === 'local' ? (
          <>
            <button type="button" onClick={() => setEditing(true)} disabled={editing} aria-label={`Edit ${view.name}`}>
              Edit
            </button>
            <ConfirmButton
              label="Remove"
              name={`Remove ${view.name}`}
              question={`Remove ${view.name}? Agents using it lose it at their next session.`}
              confirmLabel="Yes, remove"
              onConfirm={remove}
            />
          </>
        ) : (
          <span className="muted">Defined in your config file; edit it there.</span>
        )}
      </div>
      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      {test && <TestResult server={view.name} test={test} />}
      {editing && (
        <ConnectionForm
          editing={view}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChanged();
          }}
        />
      )}
    </article>
  );
}
