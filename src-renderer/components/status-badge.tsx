import type { CallStatus } from '../../src-gateway/control/contract.js';

/** A symbol and a word for each status, so the badge never relies on colour alone. */
const STATUS: Record<CallStatus, { symbol: string; label: string; hint: string }> = {
  allowed: { symbol: '✓', label: 'Allowed', hint: 'Passed to the server and answered' },
  masked: { symbol: '◐', label: 'Masked', hint: 'Answered, with sensitive values replaced' },
  denied: { symbol: '✕', label: 'Denied', hint: 'Blocked by a rule or a person' },
  waiting: { symbol: '⏸', label: 'Waiting', hint: 'Waiting for a person to approve it' },
  pending: { symbol: '…', label: 'Pending', hint: 'Sent to the server, no answer yet' },
  failed: { symbol: '!', label: 'Failed', hint: 'The server answered with an error or did not answer' },
  withdrawn: { symbol: '↩', label: 'Withdrawn', hint: 'The agent cancelled it before it was decided' },
};

/** A call's status as a labelled badge: "✓ Allowed", "✕ Denied", … */
export function StatusBadge({ status }: { status: CallStatus }) {
  const known = STATUS[status] ?? { symbol: '?', label: status, hint: status };
  return (
    <span className={`badge badge-${status}`} title={known.hint}>
      <span aria-hidden="true">{known.symbol}</span> {known.label}
    </span>
  );
}
