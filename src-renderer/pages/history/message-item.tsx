import type { CallStatus, MessageView } from '../../../src-gateway/control/contract.js';
import { formatDuration, formatSize, formatTime } from '../../components/format.js';
import { JsonViewer } from '../../components/json-viewer.js';
import { StatusBadge } from '../../components/status-badge.js';
import { navigate } from '../../router.js';

const KINDS: Record<MessageView['kind'], string> = { request: 'Request', response: 'Response', error: 'Error', notification: 'Notification' };

/** The badge a recorded message gets, when its outcome or decision maps to one. */
function statusOf(message: MessageView): CallStatus | null {
  if (message.outcome === 'denied') return 'denied';
  if (message.outcome === 'withdrawn') return 'withdrawn';
  if (message.outcome === 'failed' || message.outcome === 'error') return 'failed';
  if (message.decision === 'masked') return 'masked';
  if (message.kind === 'request' && (message.decision === 'allow' || message.decision === 'approve')) return 'allowed';
  return null;
}

/** An agent's request for a tool, resource or prompt: what a policy rule can match, so one can start from it. */
function isRuleable(message: MessageView): boolean {
  return message.kind === 'request' && message.direction === 'to-server' && message.tool !== null;
}

/**
 * One recorded message: when, which way, what it was, how it was decided, its (masked) body with
 * the masked values highlighted, and what masking replaced in it.
 */
export function MessageItem({ message, current = false }: { message: MessageView; current?: boolean }) {
  const status = statusOf(message);
  const findings = message.masks.flatMap((mask) => mask.pointers.map((pointer) => ({ pointer, detector: mask.detector })));
  const what = message.tool ?? message.method ?? (message.rpcId !== null ? `answer to ${message.rpcId}` : 'message');
  return (
    <article className={`message message-${message.direction}${current ? ' current' : ''}`} aria-label={`${KINDS[message.kind]} ${what}`} aria-current={current ? 'step' : undefined}>
      <header className="message-header">
        <time dateTime={new Date(message.ts).toISOString()}>{formatTime(message.ts)}</time>
        <span className="direction">{message.direction === 'to-server' ? 'Agent → server' : 'Server → agent'}</span>
        <strong>
          {KINDS[message.kind]} {what}
        </strong>
        {status && <StatusBadge status={status} />}
        {message.decision === 'approve' && <span className="muted small">after a person approved</span>}
        {message.ruleId && <span className="muted small">rule {message.ruleId}</span>}
        {message.durationMs !== null && <span className="muted small">{formatDuration(message.durationMs)}</span>}
        <span className="muted small">{formatSize(message.size)}</span>
        {isRuleable(message) && (
          <button type="button" className="button button-small" onClick={() => navigate(`/policies?session=${encodeURIComponent(message.sessionId)}&from=${message.id}`)}>
            Block calls like this
          </button>
        )}
      </header>
      <JsonViewer value={message.body} findings={findings} label={`Body of ${KINDS[message.kind].toLowerCase()} ${what}`} />
      {message.masks.length > 0 && (
        <div className="findings">
          <h4>Masked in this message</h4>
          <ul>
            {message.masks.map((mask) => (
              <li key={mask.detector}>
                <strong>{mask.detector}</strong> × {mask.count}
                {mask.pointers.length > 0 && (
                  <>
                    {' '}
                    at <code>{mask.pointers.slice(0, 5).join(', ')}</code>
                    {mask.pointers.length > 5 && ` and ${mask.pointers.length - 5} more`}
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </article>
  );
}
