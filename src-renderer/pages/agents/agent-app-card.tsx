import { useId, type Ref } from 'react';
import type { AgentAppChangeView, AgentAppView } from '../../../src-gateway/control/contract.js';
import type { ApiError } from '../../api/airlock-api.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { DiffView } from '../../components/diff-view.js';

/** Where a card is in "connect": the change shown for confirmation, or what was written or restored. */
export type CardStep =
  | { step: 'loading' }
  | { step: 'preview'; change: AgentAppChangeView }
  | { step: 'writing'; change: AgentAppChangeView }
  | { step: 'connected' | 'undone'; change: AgentAppChangeView };

export interface AgentAppCardProps {
  ref?: Ref<HTMLElement>;
  app: AgentAppView;
  /** What this card shows below its facts; undefined when idle. */
  current?: CardStep;
  error: ApiError | null;
  /** Whether the change also moves the app's direct servers into Airlock. */
  importing: boolean;
  onImportChange(importing: boolean): void;
  onConnect(): void;
  onConfirm(): void;
  onCancel(): void;
  onUndo(): Promise<void>;
}

function state(app: AgentAppView): { text: string; tone: string } {
  if (app.error) return { text: 'Config unreadable', tone: 'badge-failed' };
  if (app.airlockEntries.length) return { text: 'Through Airlock', tone: 'badge-allowed' };
  if (app.installed) return { text: 'Not through Airlock', tone: 'badge-waiting' };
  return { text: 'Not found', tone: 'badge-withdrawn' };
}

/** One agent app: whether it goes through Airlock, its config file, and Connect / Undo. */
export function AgentAppCard({ ref, app, current, error, importing, ...actions }: AgentAppCardProps) {
  const titleId = useId();
  const { text, tone } = state(app);
  const busy = current?.step === 'loading' || current?.step === 'writing';
  return (
    <article ref={ref} className="agent-app" aria-labelledby={titleId} data-app-id={app.id}>
      <header className="agent-app-head">
        <h2 id={titleId}>{app.label}</h2>
        <span className={`badge ${tone}`}>{text}</span>
        <span className="agent-app-actions">
          <button type="button" className="button button-primary" disabled={busy || app.error !== undefined} onClick={actions.onConnect} aria-label={`Connect ${app.label}`}>
            Connect
          </button>
          {app.canUndo && (
            <ConfirmButton
              label="Undo"
              name={`Undo the last change to ${app.label}`}
              question={`Restore ${app.label}’s config from its latest backup?`}
              confirmLabel="Yes, restore"
              disabled={busy}
              onConfirm={actions.onUndo}
            />
          )}
        </span>
      </header>
      <dl className="facts">
        <div className="facts-wide">
          <dt>Config file</dt>
          <dd>
            <code>{app.configPath}</code>
          </dd>
        </div>
        {app.airlockEntries.length > 0 && (
          <div>
            <dt>Airlock entries</dt>
            <dd>{app.airlockEntries.join(', ')}</dd>
          </div>
        )}
        {app.directServers.length > 0 && (
          <div>
            <dt>Reaches directly, not through Airlock</dt>
            <dd>{app.directServers.join(', ')}</dd>
          </div>
        )}
      </dl>
      {app.error && <p className="error-message">{app.error}</p>}
      {current && <Step app={app} current={current} importing={importing} onImportChange={actions.onImportChange} onConfirm={actions.onConfirm} onCancel={actions.onCancel} />}
      {error && (
        <p className="error-message" role="alert">
          {error.message}
        </p>
      )}
    </article>
  );
}

interface StepProps {
  app: AgentAppView;
  current: CardStep;
  importing: boolean;
  onImportChange(importing: boolean): void;
  onConfirm(): void;
  onCancel(): void;
}

function Step({ app, current, importing, onImportChange, onConfirm, onCancel }: StepProps) {
  if (current.step === 'loading') return <p className="muted">Working out the change…</p>;
  const { change } = current;
  if (current.step === 'connected' || current.step === 'undone') {
    const what = current.step === 'connected' ? `Wrote ${change.configPath}.` : `Restored ${change.configPath} from ${change.backupPath}.`;
    return (
      <div className="banner banner-ok" role="status">
        <strong>{change.written ? what : 'Nothing to change.'}</strong>{' '}
        {current.step === 'connected' && change.backupPath && <>The original is in <code>{change.backupPath}</code>. </>}
        {change.written && <>Restart {app.label} to pick it up.</>}
        {current.step === 'connected' && importing && change.imports.some((item) => !item.skip) && (
          <> Now in Airlock’s connections: {change.imports.filter((item) => !item.skip).map((item) => item.name).join(', ')}.</>
        )}
      </div>
    );
  }
  const importChoice = change.imports.length > 0 && (
    <ImportChoice app={app} imports={change.imports} importing={importing} disabled={current.step === 'writing'} onChange={onImportChange} />
  );
  if (!change.diff) {
    return (
      <>
        <p className="note" role="status">
          {app.label} already goes through Airlock this way: nothing to change.
          <button type="button" className="button button-small" onClick={onCancel}>
            Close
          </button>
        </p>
        {importChoice}
      </>
    );
  }
  return (
    <section className="agent-app-change" aria-label={`Change to ${app.label}’s config`}>
      <p>This is the change to {change.configPath}. The file is copied to a backup first, so Undo can put it back.</p>
      {importChoice}
      <DiffView diff={change.diff} label={`Diff of ${app.label}’s config`} />
      {change.dropsComments && <p className="note">The comments in this file are not kept when it is rewritten; the backup has them.</p>}
      <div className="agent-app-actions">
        <button type="button" className="button button-primary" disabled={current.step === 'writing'} onClick={onConfirm}>
          Write the change
        </button>
        <button type="button" className="button" disabled={current.step === 'writing'} onClick={onCancel}>
          Cancel
        </button>
      </div>
    </section>
  );
}

/**
 * The offer to move the servers the app reaches directly into Airlock: connections here, secrets
 * in the keychain, entries gone from the app's file. Toggling it shows the new diff.
 */
function ImportChoice({ app, imports, importing, disabled, onChange }: {
  app: AgentAppView;
  imports: AgentAppChangeView['imports'];
  importing: boolean;
  disabled: boolean;
  onChange(importing: boolean): void;
}) {
  const names = imports.map((item) => item.name).join(', ');
  const skipped = imports.filter((item) => item.skip);
  return (
    <div className="agent-app-import">
      <label>
        <input type="checkbox" checked={importing} disabled={disabled} onChange={(event) => onChange(event.target.checked)} />
        Also move the servers {app.label} reaches directly ({names}) into Airlock: they become connections here, their secrets go to the
        keychain, and their entries leave this file.
      </label>
      {importing && skipped.length > 0 && (
        <ul className="note">
          {skipped.map((item) => (
            <li key={item.name}>
              {item.name} stays as it is: {item.skip}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
