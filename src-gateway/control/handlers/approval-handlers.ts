import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { fail, ok } from '../control-handler.js';

/** Pending approvals, and a person's answer to one through the tray window, a notification or the CLI. */
export function approvalHandlers({ approvals }: ControlDeps) {
  return {
    listApprovals: () => ok(approvals.pending()),
    decideApproval: ({ params, body }) => {
      if (!approvals.decide(params.id, body.decision, body.channel, body.reason)) {
        return fail('not-pending', `approval ${params.id} is not pending (decided, timed out or withdrawn)`);
      }
      return ok({ id: params.id, decision: body.decision });
    },
  } satisfies Partial<ControlHandlers>;
}
