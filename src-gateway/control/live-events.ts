import { CallQueries } from '../store/call-queries.js';
import type { MessageLogListener, MessageRecord } from '../store/message-log.js';
import { SessionQueries } from '../store/session-queries.js';
import type { ControlDeps } from './control-deps.js';

/** What the live feed listens to: a part of what the control API's handlers reach. */
export type LiveEventSources = Pick<ControlDeps, 'db' | 'events' | 'approvals' | 'protection' | 'policy' | 'pins' | 'logger'>;

/**
 * Feeds the tray window's live view: approvals as the broker holds and resolves them, protection
 * paused and resumed, policy reloads, and (through the returned listener, given to the MessageLog) calls and sessions as
 * they are recorded. Views are built from the store, so the feed shows exactly what the history
 * will; with nobody subscribed, recording does no extra work.
 */
export function publishLiveEvents({ db, events, approvals, protection, policy, pins, logger }: LiveEventSources): MessageLogListener {
  const calls = new CallQueries(db);
  const sessions = new SessionQueries(db);
  const watched = () => events.subscriberCount > 0;
  const safely = (what: string, publish: () => void) => {
    try {
      publish();
    } catch (error) {
      logger.error(`live feed: could not publish ${what}`, error);
    }
  };

  approvals.on('pending', (approval) => events.publish('approval-pending', approval));
  approvals.on('resolved', (approval, resolution) => {
    if (resolution) events.publish('approval-resolved', { id: approval.id, decision: resolution.decision, channel: resolution.channel });
  });
  policy.onReload((status) => events.publish('policy-reloaded', status));
  pins.onHeld((held) => events.publish('tool-held', held));
  protection.onChange((view) => events.publish('protection-changed', view));

  return {
    appended(id: number, record: MessageRecord) {
      if (!watched()) return;
      safely('a call', () => {
        const view = isCallRequest(record)
          ? calls.byRequest(id)
          : isAnswer(record) && record.rpcId !== undefined
            ? calls.byAnswer(record.sessionId, record.rpcId, id)
            : undefined;
        if (view) events.publish('call', view);
      });
    },
    sessionStarted(session) {
      if (!watched()) return;
      // The agent's name is recorded right after the session, in the same turn: read it once it is.
      queueMicrotask(() =>
        safely('a session', () => {
          const view = sessions.view(session.id);
          if (view) events.publish('session-opened', view);
        }),
      );
    },
    sessionEnded(id, reason) {
      if (watched()) events.publish('session-closed', { id, reason });
    },
  };
}

function isCallRequest(record: MessageRecord): boolean {
  return record.direction === 'to-server' && record.kind === 'request';
}

function isAnswer(record: MessageRecord): boolean {
  return record.direction === 'to-agent' && (record.kind === 'response' || record.kind === 'error');
}
