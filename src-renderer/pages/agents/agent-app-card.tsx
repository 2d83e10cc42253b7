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
export function AgentAppCard({ ref, app, current, error, ...actions }: AgentAppCardProps) {
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
      {current && <Step app={app} current={current} onConfirm={actions.onConfirm} onCancel={actions.onCancel} />}
      {error && (
        <p className="error-message" role="alert">
          {error.message}
        </p>
      )}
    </article>
  );
}

function Step({ app, current, onConfirm, onCancel }: { app: AgentAppView; current: CardStep; onConfirm(): void; onCancel(): void }) {
  if (current.step === 'loading') return <p className="muted">Working out the change…</p>;
  const { change } = current;
  if (current.step === 'connected' || current.step === 'undone') {
    const what = current.step === 'connected' ? `Wrote ${change.configPath}.` : `Restored ${change.configPath} from ${change.backupPath}.`;
    return (
      <div className="banner banner-ok" role="status">
        <strong>{change.written ? what : 'Nothing to change.'}</strong>{' '}
        {current.step === 'connected' && change.backupPath && <>The original is in <code>{change.backupPath}</code>. </>}
        {change.written && <>Restart {app.label} to pick it up.</>}
      </div>
    );
  }
  if (!change.diff) {
    return (
      <p className="note" role="status">
        {app.label} already goes through Airlock this way: nothing to change.
        <button type="button" className="button button-small" onClick={onCancel}>
          Close
        </button>
      </p>
    );
  }
  return (
    <section className="agent-app-change" aria-label={`Change to ${app.label}’s config`}>
      <p>This is the change to {change.configPath}. The file is copied to a backup first, so Undo can put it back.</p>
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
