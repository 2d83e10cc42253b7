import type { ControlDeps } from '../control-deps.js';
import { fail, ok, type ControlHandlers } from '../control-handler.js';
import { ORG_NOT_CONFIGURED } from '../../sync/org-status.js';

const NOT_CONFIGURED = 'org mode is not configured: add an `org` section (issuer, hub) to the config file';

/** Org mode: its status, sign-in and sign-out, and "sync now". */
export function orgHandlers({ org, logger }: ControlDeps) {
  return {
    orgStatus: () => ok(org ? org.status() : ORG_NOT_CONFIGURED),
    orgLogin: async ({ body }) => {
      if (!org) return fail('invalid', NOT_CONFIGURED);
      try {
        return ok(await org.identity.login(body.flow));
      } catch (error) {
        logger.warn(`org sign-in could not start: ${(error as Error).message}`);
        return fail('unavailable', `the sign-in could not start: ${(error as Error).message}`);
      }
    },
    orgLogout: async () => {
      if (!org) return fail('invalid', NOT_CONFIGURED);
      await org.identity.logout();
      return ok(org.status());
    },
    orgSyncNow: async () => {
      if (!org) return fail('invalid', NOT_CONFIGURED);
      return ok(await org.syncNow());
    },
  } satisfies Partial<ControlHandlers>;
}
