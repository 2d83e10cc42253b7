import { useId, useState, type FormEvent } from 'react';
import type { ConnectionView } from '../../../src-gateway/control/contract.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage, fieldErrors } from '../../components/api-error-text.js';
import { EMPTY_CONNECTION, draftFromView, draftToInput, type ConnectionDraft } from './connection-draft.js';
import { KeyValueRows } from './key-value-rows.js';

type Field = 'name' | 'command' | 'url';

/** Which input an API error path belongs to (`server.command`, `name`, …). */
function fieldOf(path: string): Field | undefined {
  if (path === 'name') return 'name';
  if (path === 'server.command') return 'command';
  if (path === 'server.url') return 'url';
  return undefined;
}

/**
 * Adds a server, or edits a local one (`editing`). Credentials go to the OS keychain through the
 * gateway and are cleared from this form as soon as they are saved: the window never holds them longer.
 */
export function ConnectionForm({ editing, onSaved, onCancel }: { editing?: ConnectionView; onSaved(view: ConnectionView): void; onCancel?(): void }) {
  const api = useApi();
  const ids = useId();
  const [draft, setDraft] = useState<ConnectionDraft>(() => (editing ? draftFromView(editing) : EMPTY_CONNECTION));
  const [problems, setProblems] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ConnectionDraft>(key: K, value: ConnectionDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setProblems({});
    const built = draftToInput(draft);
    if ('problem' in built) {
      setError(built.problem);
      return;
    }
    setBusy(true);
    try {
      const saved = editing
        ? await api.call('updateConnection', { params: { name: editing.name }, body: built.input })
        : await api.call('addConnection', { body: built.input });
      setDraft(EMPTY_CONNECTION);
      onSaved(saved);
    } catch (failure) {
      const byField: Partial<Record<Field, string>> = {};
      for (const { path, message } of fieldErrors(failure)) {
        const field = fieldOf(path);
        if (field && !byField[field]) byField[field] = message;
      }
      setProblems(byField);
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const described = (field: Field) => ({
    id: `${ids}-${field}`,
    'aria-invalid': problems[field] ? true : undefined,
    'aria-describedby': problems[field] ? `${ids}-${field}-problem` : undefined,
  });
  const problem = (field: Field) =>
    problems[field] && (
      <span id={`${ids}-${field}-problem`} className="field-problem">
        {problems[field]}
      </span>
    );
  const heading = editing ? `Edit ${editing.name}` : 'Add a server';

  return (
    <form className={editing ? 'connection-form' : 'connection-form panel'} onSubmit={submit} aria-labelledby={`${ids}-heading`} noValidate>
      {editing ? <h4 id={`${ids}-heading`}>{heading}</h4> : <h2 id={`${ids}-heading`}>{heading}</h2>}
      <div className="form-grid">
        <label htmlFor={`${ids}-name`}>Name</label>
        <div>
          <input {...described('name')} value={draft.name} readOnly={Boolean(editing)} onChange={(e) => set('name', e.target.value)} placeholder="e.g. files" spellCheck={false} />
          {editing && <span className="muted field-hint">To rename, remove the server and add it again.</span>}
          {problem('name')}
        </div>
      </div>
      <fieldset className="kind-choice">
        <legend>Kind</legend>
        <label>
          <input type="radio" name={`${ids}-kind`} checked={draft.kind === 'stdio'} onChange={() => set('kind', 'stdio')} /> Command (stdio)
        </label>
        <label>
          <input type="radio" name={`${ids}-kind`} checked={draft.kind === 'http'} onChange={() => set('kind', 'http')} /> URL (Streamable HTTP)
        </label>
      </fieldset>

      {draft.kind === 'stdio' ? (
        <div className="form-grid">
          <label htmlFor={`${ids}-command`}>Command</label>
          <div>
            <input {...described('command')} value={draft.command} onChange={(e) => set('command', e.target.value)} placeholder="npx" spellCheck={false} />
            {problem('command')}
          </div>
          <label htmlFor={`${ids}-args`}>Arguments</label>
          <div>
            <textarea id={`${ids}-args`} rows={3} value={draft.args} onChange={(e) => set('args', e.target.value)} placeholder={'-y\n@modelcontextprotocol/server-filesystem\n/home/me/src'} spellCheck={false} />
            <span className="muted field-hint">One per line.</span>
          </div>
          <label htmlFor={`${ids}-cwd`}>Working directory</label>
          <input id={`${ids}-cwd`} value={draft.cwd} onChange={(e) => set('cwd', e.target.value)} placeholder="optional" spellCheck={false} />
          <span className="form-grid-label">Environment</span>
          <KeyValueRows rows={draft.env} onChange={(env) => set('env', env)} noun="Environment variable" keyPlaceholder="LOG_LEVEL" />
        </div>
      ) : (
        <div className="form-grid">
          <label htmlFor={`${ids}-url`}>URL</label>
          <div>
            <input {...described('url')} type="url" value={draft.url} onChange={(e) => set('url', e.target.value)} placeholder="https://example.com/mcp" spellCheck={false} />
            {problem('url')}
          </div>
          <span className="form-grid-label">Headers</span>
          <KeyValueRows rows={draft.headers} onChange={(headers) => set('headers', headers)} noun="Header" keyPlaceholder="X-Team" />
        </div>
      )}

      <fieldset className="credentials">
        <legend>Credentials</legend>
        <p className="muted">
          Stored in your OS keychain, never shown again. For a command each becomes an environment variable; for a URL, a header (enter its whole value,
          e.g. <code>Bearer …</code>).
        </p>
        {draft.storedSecrets.length > 0 && (
          <p>
            Stored:{' '}
            {draft.storedSecrets.map((key, index) => (
              <span key={key}>
                {index > 0 && ', '}
                <code>{key}</code>
              </span>
            ))}
            . Kept unless you enter a new value under the same name.
          </p>
        )}
        <KeyValueRows rows={draft.secrets} onChange={(secrets) => set('secrets', secrets)} noun="Credential" keyPlaceholder={draft.kind === 'stdio' ? 'API_KEY' : 'Authorization'} secret />
      </fieldset>

      {error && (
        <div role="alert" className="banner banner-error">
          {error}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Add server'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
