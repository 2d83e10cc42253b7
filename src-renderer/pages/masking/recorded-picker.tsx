import { useId, useState } from 'react';
import type { MessageView } from '../../../src-gateway/control/contract.js';
import { useApi } from '../../api/api-context.js';
import { formatDateTime, formatSize } from '../../components/format.js';
import { ErrorMessage } from '../../components/error-message.js';
import { useApiData } from '../../components/use-api-data.js';

/** Sessions offered, newest first. */
const SESSION_LIMIT = 20;

export interface PickedResponse {
  body: unknown;
  server: string;
  tool: string | null;
}

/** Which tool a response answers: the response row names it when the store joined it to its request. */
function describe(message: MessageView): string {
  return `#${message.id} ${message.tool ?? message.method ?? 'response'} (${formatSize(message.size)})`;
}

/**
 * "Pick a recorded response": a recent session, then one of the answers recorded in it. What the
 * store holds was masked when recorded, so the preview shows what today's rules find in what is left.
 */
export function RecordedPicker({ onPick }: { onPick(picked: PickedResponse): void }) {
  const api = useApi();
  const ids = useId();
  const sessions = useApiData(() => api.call('listSessions', { query: { limit: SESSION_LIMIT } }), [api]);
  const [sessionId, setSessionId] = useState('');
  const messages = useApiData(
    () => (sessionId ? api.call('listMessages', { params: { id: sessionId }, query: { limit: 1000 } }) : Promise.resolve({ items: [], nextAfter: null })),
    [api, sessionId],
  );
  const responses = (messages.data?.items ?? []).filter((m) => m.kind === 'response' || m.kind === 'error');
  const [messageId, setMessageId] = useState('');
  const session = sessions.data?.items.find((s) => s.id === sessionId);
  const message = responses.find((m) => String(m.id) === messageId);

  return (
    <fieldset className="recorded-picker">
      <legend>Or pick a recorded response</legend>
      <p className="muted">Recorded responses were masked when they were stored, so this shows what the current rules find in what is left.</p>
      <ErrorMessage what="Sessions could not be listed" error={sessions.error} />
      {sessions.data && sessions.data.items.length === 0 && <p className="muted">No sessions recorded yet: connect an agent and make a call first.</p>}
      {sessions.data && sessions.data.items.length > 0 && (
        <div className="picker-row">
          <label htmlFor={`${ids}-session`}>Session</label>
          <select
            id={`${ids}-session`}
            value={sessionId}
            onChange={(e) => {
              setSessionId(e.target.value);
              setMessageId('');
            }}
          >
            <option value="">Choose a session…</option>
            {sessions.data.items.map((s) => (
              <option key={s.id} value={s.id}>
                {s.server} · {s.client} · {formatDateTime(s.startedAt)} ({s.callCount} calls)
              </option>
            ))}
          </select>
          {sessionId && (
            <>
              <label htmlFor={`${ids}-message`}>Response</label>
              <select id={`${ids}-message`} value={messageId} onChange={(e) => setMessageId(e.target.value)} disabled={responses.length === 0}>
                <option value="">{responses.length === 0 ? (messages.loading ? 'Loading…' : 'No responses in this session') : 'Choose a response…'}</option>
                {responses.map((m) => (
                  <option key={m.id} value={m.id}>
                    {describe(m)}
                  </option>
                ))}
              </select>
              <button type="button" disabled={!message || !session} onClick={() => message && session && onPick({ body: message.body, server: session.server, tool: message.tool })}>
                Use this response
              </button>
            </>
          )}
        </div>
      )}
      <ErrorMessage what="The session could not be read" error={messages.error} />
    </fieldset>
  );
}
