import { useId, type KeyboardEvent, type Ref } from 'react';
import type { ApiError } from '../../api/airlock-api.js';
import { Countdown } from '../../components/countdown.js';
import { formatTime } from '../../components/format.js';
import { JsonViewer } from '../../components/json-viewer.js';
import type { PendingApproval } from '../../live.js';
import type { Decision } from './decision-text.js';
import './approvals.css';

export interface ApprovalCardProps {
  ref?: Ref<HTMLElement>;
  approval: PendingApproval;
  selected: boolean;
  busy: boolean;
  error: ApiError | null;
  reason: string;
  onReasonChange(reason: string): void;
  onSelect(): void;
  onDecide(decision: Decision): void;
  /** Leaves the reason field for the card (Escape). */
  onLeaveReason(): void;
}

/** One call waiting for a person: who asks for what, why the rule asks, the arguments, and the four answers. */
export function ApprovalCard(props: ApprovalCardProps) {
  const { ref, approval, selected, busy, error, reason } = props;
  const titleId = useId();
  const reasonId = useId();
  const what = approval.tool ?? approval.method;
  const onReasonKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      props.onDecide('deny');
    } else if (event.key === 'Escape') {
      event.preventDefault();
      props.onLeaveReason();
    }
  };
  return (
    <article
      ref={ref}
      className={`approval-card${selected ? ' selected' : ''}`}
      aria-labelledby={titleId}
      aria-current={selected ? 'true' : undefined}
      tabIndex={selected ? 0 : -1}
      onFocus={props.onSelect}
      onClick={props.onSelect}
      data-approval-id={approval.id}
    >
      <header className="approval-header">
        <h2 id={titleId}>
          {what} <span className="muted">on</span> {approval.server}
        </h2>
        <Countdown until={approval.expiresAt} label="Expires" />
      </header>
      <dl className="facts">
        <div>
          <dt>Client</dt>
          <dd>{approval.client}</dd>
        </div>
        <div>
          <dt>Asked</dt>
          <dd>{formatTime(approval.createdAt)}</dd>
        </div>
        <div>
          <dt>Rule</dt>
          <dd>{approval.ruleId ?? 'default action'}</dd>
        </div>
        <div className="facts-wide">
          <dt>Why it asks</dt>
          <dd>{approval.reason}</dd>
        </div>
      </dl>
      <JsonViewer value={approval.arguments ?? null} label={`Arguments of ${what}`} />
      <div className="decision-row">
        <button type="button" className="button button-primary" disabled={busy} aria-keyshortcuts="a" onClick={() => props.onDecide('allow-once')}>
          Allow once <kbd aria-hidden="true">a</kbd>
        </button>
        <button type="button" className="button" disabled={busy} aria-keyshortcuts="s" onClick={() => props.onDecide('allow-session')}>
          Allow for session <kbd aria-hidden="true">s</kbd>
        </button>
        <button
          type="button"
          className="button"
          disabled={busy}
          title="Also adds a local rule that allows calls like this from now on"
          onClick={() => props.onDecide('allow-always')}
        >
          Always allow
        </button>
        <span className="deny-group">
          <label htmlFor={reasonId}>Reason (optional, told to the agent)</label>
          <input
            id={reasonId}
            type="text"
            value={reason}
            maxLength={1000}
            disabled={busy}
            data-reason-for={approval.id}
            onChange={(event) => props.onReasonChange(event.target.value)}
            onKeyDown={onReasonKey}
          />
          <button type="button" className="button button-danger" disabled={busy} aria-keyshortcuts="d" onClick={() => props.onDecide('deny')}>
            Deny <kbd aria-hidden="true">d</kbd>
          </button>
        </span>
      </div>
      {error && (
        <p className="error-message" role="alert">
          {error.message}
        </p>
      )}
    </article>
  );
}
