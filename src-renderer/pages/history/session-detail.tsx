import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../../api/api-context.js';
import { EmptyState } from '../../components/empty-state.js';
import { ErrorMessage } from '../../components/error-message.js';
import { formatDateTime } from '../../components/format.js';
import { useApiData } from '../../components/use-api-data.js';
import { useLiveEvent } from '../../live.js';
import { Link } from '../../router.js';
import { ExportButton } from './export-button.js';
import { MessageItem } from './message-item.js';
import { ReplayControls } from './replay-controls.js';
import { SessionFacts } from './session-facts.js';
import { useReplay } from './use-replay.js';
import { useSessionMessages } from './use-session-messages.js';

/** One session's timeline of requests and answers (masked), its export, and a step-by-step replay. */
export function SessionDetail({ sessionId }: { sessionId: string }) {
  const api = useApi();
  const session = useApiData(() => api.call('getSession', { params: { id: sessionId } }), [api, sessionId]);
  const messages = useSessionMessages(sessionId);
  const [replaying, setReplaying] = useState(false);
  const timestamps = useMemo(() => messages.items.map((message) => message.ts), [messages.items]);
  const replay = useReplay(timestamps);
  const timeline = useRef<HTMLOListElement>(null);

  // An open session grows while it is on screen.
  useLiveEvent((event) => {
    if (event.type === 'call' && event.data.sessionId === sessionId) messages.refresh();
  });

  useEffect(() => {
    if (replaying) timeline.current?.querySelector('[aria-current="step"]')?.scrollIntoView({ block: 'nearest' });
  }, [replaying, replay.position]);

  const shown = replaying ? messages.items.slice(0, replay.position + 1) : messages.items;
  const title = session.data ? `Session on ${session.data.server}, ${formatDateTime(session.data.startedAt)}` : 'Session';

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/history">← All sessions</Link>
      </p>
      <header className="page-header">
        <h1>{title}</h1>
        <div className="toolbar">
          <ExportButton sessionId={sessionId} />
          <button type="button" className="button" aria-pressed={replaying} disabled={messages.items.length === 0} onClick={() => setReplaying(!replaying)}>
            {replaying ? 'Show all messages' : 'Replay'}
          </button>
        </div>
      </header>
      <ErrorMessage what="The session could not be loaded" error={session.error} />
      {session.data && <SessionFacts session={session.data} />}
      {replaying && <ReplayControls replay={replay} count={messages.items.length} />}
      <ErrorMessage what="Its messages could not be loaded" error={messages.error} />
      {shown.length > 0 && (
        <ol className="timeline" aria-label="Messages" ref={timeline}>
          {shown.map((message, index) => (
            <li key={message.id}>
              <MessageItem message={message} current={replaying && index === replay.position} />
            </li>
          ))}
        </ol>
      )}
      {!messages.loading && !messages.error && messages.items.length === 0 && (
        <EmptyState title="No messages recorded">
          <p>This session was opened but nothing was sent in it yet.</p>
        </EmptyState>
      )}
      {messages.loading && <p className="muted">Loading messages…</p>}
      {messages.more && !messages.loading && (
        <button type="button" className="button" onClick={messages.loadMore}>
          Load more messages
        </button>
      )}
    </div>
  );
}
