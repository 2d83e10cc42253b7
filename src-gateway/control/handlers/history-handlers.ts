import { CallQueries } from '../../store/call-queries.js';
import { MessageQueries } from '../../store/message-queries.js';
import { SessionQueries } from '../../store/session-queries.js';
import { StatsQueries } from '../../store/stats-queries.js';
import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { fail, ok } from '../control-handler.js';
import { streamEvents } from './event-stream.js';
import { downloadSession, replyFailure } from './session-download.js';

const unknownSession = (id: string) => `no single session matches "${id}"; give its full id or a longer prefix`;

/** What was recorded (sessions, messages, calls, figures), the gateway's health, and the live feed. */
export function historyHandlers(deps: ControlDeps) {
  const sessions = new SessionQueries(deps.db);
  const messages = new MessageQueries(deps.db);
  const calls = new CallQueries(deps.db);
  const stats = new StatsQueries(deps.db);

  return {
    health: () =>
      ok({
        version: deps.version,
        pid: process.pid,
        url: deps.url(),
        startedAt: deps.startedAt,
        openSessions: deps.openSessions().length,
        pendingApprovals: deps.approvals.pending().length,
        heldTools: deps.pins.held().length,
        policy: deps.policy.describe(),
        protection: deps.protection.view(),
      }),
    stats: ({ query }) => ok(stats.stats(query.minutes)),
    events: ({ req, res }) => streamEvents(deps.events, req, res),

    activity: ({ query }) => ok({ items: calls.recent(query.limit, query.before), pending: deps.approvals.pending() }),
    listSessions: ({ query }) => {
      const page = sessions.list(query);
      return page.ok ? ok({ items: page.items, nextCursor: page.nextCursor }) : fail('invalid', page.message);
    },
    getSession: ({ params }) => {
      const session = sessions.get(params.id);
      return session ? ok(session) : fail('not-found', unknownSession(params.id));
    },
    listMessages: ({ params, query }) => {
      const session = sessions.get(params.id);
      if (!session) return fail('not-found', unknownSession(params.id));
      return ok(messages.page(session.id, query.after ?? 0, query.limit));
    },
    exportSession: async ({ params, res }) => {
      const session = sessions.get(params.id);
      if (!session) return replyFailure(res, 'not-found', unknownSession(params.id));
      await downloadSession(messages, session, res);
    },
  } satisfies Partial<ControlHandlers>;
}
