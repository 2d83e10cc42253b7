import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { ok } from '../control-handler.js';

/** The tray's "pause protection": approvals are not asked until it resumes, by itself or early. */
export function protectionHandlers({ protection, logger }: ControlDeps) {
  return {
    protection: () => ok(protection.view()),
    pauseProtection: ({ body }) => {
      const view = protection.pause(body.minutes);
      logger.warn(`protection paused for ${body.minutes} min: calls that need approval go through (recorded as rule "paused")`);
      return ok(view);
    },
    resumeProtection: () => ok(protection.resume()),
  } satisfies Partial<ControlHandlers>;
}
