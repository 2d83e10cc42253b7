import type { HubSessionSummary } from './hub-store.js';

/** The hub's read-only HTML list of the sessions it holds; every value is escaped. */
export function sessionsPage(sessions: readonly HubSessionSummary[]): string {
  const rows = sessions
    .map((s) =>
      `<tr><td>${escape(s.sessionId)}</td><td>${escape(s.userName ?? s.userId ?? '')}</td><td>${escape(s.client ?? '')}</td>` +
      `<td>${escape(s.server ?? '')}</td><td>${new Date(s.firstAt).toISOString()}</td><td>${new Date(s.lastAt).toISOString()}</td><td>${s.records}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Airlock hub: sessions</title></head>
<body><h1>Sessions</h1>
<table><thead><tr><th>Session</th><th>User</th><th>Client</th><th>Server</th><th>First</th><th>Last</th><th>Records</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
