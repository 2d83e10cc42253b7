import { SessionDetail } from './history/session-detail.js';
import { SessionList } from './history/session-list.js';
import './history/history.css';

/** Recorded sessions (`/history`, filters in the query) or one session's timeline (`/history/<id>`). */
export function HistoryPage({ sessionId }: { sessionId?: string }) {
  return sessionId ? <SessionDetail key={sessionId} sessionId={sessionId} /> : <SessionList />;
}
