import { localUserName } from '../../approvals/local-user.js';
import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { fail, ok } from '../control-handler.js';

/** Pending approvals, and a person's answer to one through the tray window, a notification or the CLI. */
export function approvalHandlers({ approvals, org }: ControlDeps) {
  return {
    listApprovals: () => ok(approvals.pending()),
    decideApproval: ({ params, body }) => {
      const held = approvals.get(params.id);
      if (held && body.binding !== undefined && body.binding !== held.binding) {
        return fail('conflict', `approval ${params.id} is for another call than the one shown (its arguments differ); nothing was decided`);
      }
      // Only the local user's tools hold the control token; the org sign-in names them when there is one.
      const user = org?.identity.signedIn()?.user;
      const by = user ? `${user.name ?? user.id} (signed in)` : `${localUserName()} (local user)`;
      if (!approvals.decide(params.id, body.decision, body.channel, body.reason, { by, binding: body.binding })) {
        return fail('not-pending', `approval ${params.id} is not pending (decided, timed out or withdrawn)`);
      }
      return ok({ id: params.id, decision: body.decision });
    },
  } satisfies Partial<ControlHandlers>;
}
