import { useId, useReducer, useState, type FormEvent } from 'react';
import type { ConnectionView, CreatedClientView } from '../../../src-gateway/control/contract.js';
import { useApi } from '../../api/api-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorMessage } from '../../components/error-message.js';
import { useApiData } from '../../components/use-api-data.js';
import { formatDateTime } from '../../components/format.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { CopyButton } from '../../components/copy-button.js';
import { errorMessage, fieldErrors } from '../../components/api-error-text.js';
import { agentSnippet } from './agent-snippet.js';

/**
 * The agents (clients) allowed in, each with its own tokens: a new token is shown once, with the
 * config to paste into the agent; revoking cuts the client off at its next request.
 */
export function AgentsSection({ servers }: { servers: ConnectionView[] }) {
  const api = useApi();
  const ids = useId();
  const [revision, reload] = useReducer((n: number) => n + 1, 0);
  const clients = useApiData(() => api.call('listClients'), [api, revision]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedClientView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setCreated(undefined);
    try {
      setCreated(await api.call('createClient', { body: { name: name.trim() } }));
      setName('');
      reload();
    } catch (failure) {
      const problem = fieldErrors(failure).find((issue) => issue.path === 'name');
      setError(problem ? `Name: ${problem.message}` : errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (client: string) => {
    setError(undefined);
    try {
      await api.call('revokeClient', { params: { name: client } });
      reload();
    } catch (failure) {
      setError(`Could not revoke ${client}: ${errorMessage(failure)}`);
    }
  };

  return (
    <section aria-labelledby={`${ids}-heading`} className="agents">
      <h2 id={`${ids}-heading`}>Agents</h2>
      <p className="muted">Each agent gets its own token, so its sessions are recorded under its name and it can be cut off alone.</p>
      <ErrorMessage what="The agents could not be listed" error={clients.error} />
      {clients.data && clients.data.length === 0 && (
        <EmptyState title="No agents yet">Create a token below and paste the snippet it shows into your agent's MCP config.</EmptyState>
      )}
      {clients.data && clients.data.length > 0 && (
        <div className="table-scroll">
          <table className="clients-table">
            <caption className="visually-hidden">Agents and their tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Tokens</th>
                <th scope="col">Last seen</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {clients.data.map((client) => (
                <tr key={client.name}>
                  <td>{client.name}</td>
                  <td>{formatDateTime(client.createdAt)}</td>
                  <td>
                    {client.activeTokens} active
                    {client.revokedTokens > 0 && <span className="muted">, {client.revokedTokens} revoked</span>}
                  </td>
                  <td>{client.lastSeenAt ? formatDateTime(client.lastSeenAt) : <span className="muted">never</span>}</td>
                  <td>
                    {client.activeTokens > 0 && (
                      <ConfirmButton
                        label="Revoke"
                        name={`Revoke ${client.name}`}
                        question={`Revoke every token of ${client.name}?`}
                        confirmLabel="Yes, revoke"
                        onConfirm={() => revoke(client.name)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <form onSubmit={create} className="new-client panel" aria-labelledby={`${ids}-new`}>
        <h3 id={`${ids}-new`}>New client token</h3>
        <div className="inline-form">
          <label htmlFor={`${ids}-name`}>Agent name</label>
          <input id={`${ids}-name`} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. cursor" spellCheck={false} />
          <button type="submit" className="button-primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      {created && <CreatedToken created={created} servers={servers} onDone={() => setCreated(undefined)} />}
    </section>
  );
}

/** The new token, once: with copy buttons and the agent config that uses it. */
function CreatedToken({ created, servers, onDone }: { created: CreatedClientView; servers: ConnectionView[]; onDone(): void }) {
  const snippet = agentSnippet(servers, created.token);
  return (
    <div className="created-token banner banner-ok" role="status">
      <p>
        <strong>Token for {created.name}.</strong> It is shown this once: copy it now. Only a hash is kept.
      </p>
      <div className="with-action">
        <code className="token" aria-label={`Token for ${created.name}`}>
          {created.token}
        </code>
        <CopyButton text={created.token} what={`token for ${created.name}`} />
      </div>
      {servers.length > 0 && (
        <>
          <p>Agent config (for example Cursor's <code>~/.cursor/mcp.json</code>):</p>
          <pre className="snippet" tabIndex={0} aria-label="Agent config">
            {snippet}
          </pre>
          <CopyButton text={snippet} what="agent config" />
        </>
      )}
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          Done, hide the token
        </button>
      </div>
    </div>
  );
}
