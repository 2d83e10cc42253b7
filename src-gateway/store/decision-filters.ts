/** What the gateway decided, as the history filters and the stats count it. */
export type Decision = 'allowed' | 'masked' | 'denied' | 'approved' | 'failed';

export const DECISIONS: readonly Decision[] = ['allowed', 'masked', 'denied', 'approved', 'failed'];

/**
 * Each decision as a condition on one recorded message `m`, defined once so that a filtered
 * session list and the stats agree: `allowed` and `approved` are requests the policy let through
 * (by a rule, or by a person), `denied` a request stopped by a rule, a person or a timeout,
 * `masked` any message masking changed, `failed` an answer that is an error.
 */
export const DECISION_SQL: Record<Decision, string> = {
  allowed: `(m.direction = 'to-server' AND m.kind = 'request' AND m.outcome = 'forwarded' AND m.decision = 'allow')`,
  approved: `(m.direction = 'to-server' AND m.kind = 'request' AND m.outcome = 'forwarded' AND m.decision = 'approve')`,
  denied: `(m.direction = 'to-server' AND m.kind = 'request' AND m.outcome = 'denied')`,
  masked: `EXISTS (SELECT 1 FROM mask_events e WHERE e.message_id = m.id)`,
  failed: `(m.direction = 'to-agent' AND m.kind IN ('response', 'error') AND m.outcome IN ('error', 'failed'))`,
};
