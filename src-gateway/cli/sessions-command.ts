import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { HistoryQueries, type MessageRow, type SessionSummary } from '../store/history-queries.js';
import { DATABASE_FILE, openDatabase } from '../store/open-database.js';
import { createPrivateWriteStream } from '../store/private-file.js';
import { exportedMessage, exportLine } from '../store/session-export.js';
import { agentLabel } from '../store/session-queries.js';
import { parseCommand, resolveConfig, resolveDataDir, UsageError } from './cli-args.js';

/** `airlock sessions list|show|export`: the recorded history, in a terminal. */
export async function sessionsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {
    server: { type: 'string' },
    client: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
  });
  const [action, id] = positionals;
  resolveConfig(values);
  const dataDir = resolveDataDir(values);
  if (!existsSync(join(dataDir, DATABASE_FILE))) {
    throw new UsageError(`no recorded history in ${dataDir} yet: start the gateway and connect an agent`);
  }
  const db = openDatabase(dataDir, { readonly: true });
  try {
    const history = new HistoryQueries(db);
    if (action === 'list') {
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive whole number');
      const rows = history.listSessions({ server: values.server, client: values.client, limit });
      process.stdout.write(values.json ? JSON.stringify(rows, null, 2) + '\n' : formatSessionList(rows));
      return;
    }
    if (action !== 'show' && action !== 'export') {
      throw new UsageError(action ? `unknown sessions action "${action}"` : 'sessions needs an action: list, show or export');
    }
    if (!id) throw new UsageError(`sessions ${action} needs a session id (see \`airlock sessions list\`)`);
    const session = history.findSession(id);
    if (!session) throw new UsageError(`no single session matches "${id}" (see \`airlock sessions list\`)`);
    const messages = history.messages(session.id);
    if (action === 'show') {
      process.stdout.write(values.json ? JSON.stringify({ session, messages: messages.map(exportedMessage) }, null, 2) + '\n' : formatSession(session, messages));
      return;
    }
    if ((values.format ?? 'jsonl') !== 'jsonl') throw new UsageError(`unsupported --format "${values.format}"; use jsonl`);
    const out = values.output ? createPrivateWriteStream(values.output) : process.stdout;
    for (const row of messages) out.write(exportLine(session, row));
    if (out !== process.stdout) {
      out.end();
      await finished(out);
      process.stderr.write(`exported ${messages.length} messages to ${values.output}\n`);
    }
  } finally {
    db.close();
  }
}

function formatSessionList(rows: SessionSummary[]): string {
  if (rows.length === 0) return 'no sessions recorded yet\n';
  const header = ['SESSION', 'STARTED', 'SERVER', 'CLIENT', 'AGENT', 'CALLS', 'STATE'];
  const table = rows.map((row) => [
    row.id.slice(0, 8),
    new Date(row.started_at).toISOString().replace('T', ' ').slice(0, 19),
    row.server,
    row.client,
    agentName(row.client_info),
    String(row.call_count),
    row.ended_at ? `ended: ${row.end_reason ?? ''}` : 'open',
  ]);
  return formatTable([header, ...table]);
}

function formatSession(session: SessionSummary, messages: MessageRow[]): string {
  const lines = [
    `session  ${session.id}`,
    `server   ${session.server}    client ${session.client}    agent ${agentName(session.client_info)}    protocol ${session.protocol_version ?? '?'}`,
    `started  ${new Date(session.started_at).toISOString()}${session.ended_at ? `    ended ${new Date(session.ended_at).toISOString()} (${session.end_reason})` : ''}`,
    '',
  ];
  const rows = messages.map((m) => [
    new Date(m.ts).toISOString().slice(11, 23),
    m.direction === 'to-server' ? 'agent → server' : 'server → agent',
    m.kind,
    [m.method, m.tool].filter(Boolean).join(' ') || '-',
    m.rpc_id ?? '',
    m.outcome,
    m.duration_ms === null ? '' : `${m.duration_ms} ms`,
    `${m.size} B`,
  ]);
  return lines.join('\n') + formatTable([['TIME', 'DIRECTION', 'KIND', 'METHOD', 'ID', 'OUTCOME', 'TOOK', 'SIZE'], ...rows]);
}

function agentName(clientInfo: string | null): string {
  return agentLabel(clientInfo) ?? '-';
}

function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n') + '\n';
}
