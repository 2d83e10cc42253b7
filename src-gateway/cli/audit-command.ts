import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain, type ChainProblem, type ChainReport } from '../store/audit-verify.js';
import { HistoryQueries } from '../store/history-queries.js';
import { DATABASE_FILE, openDatabase } from '../store/open-database.js';
import { parseCommand, resolveDataDir, UsageError } from './cli-args.js';

/**
 * `airlock audit verify [--session ID] [--json]`: checks the hash chain of the recorded messages.
 * Exit code 0 when every chained message checks out, 1 when anything was edited, deleted or moved.
 */
export async function auditCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, { session: { type: 'string' }, json: { type: 'boolean' } });
  const [action] = positionals;
  if (action !== 'verify') throw new UsageError(action ? `unknown audit action "${action}"` : 'audit needs an action: verify');
  const dataDir = resolveDataDir(values);
  if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`no recorded history in ${dataDir} to verify`);
  const db = openDatabase(dataDir, { readonly: true });
  let report: ChainReport;
  try {
    let sessionId: string | undefined;
    if (values.session !== undefined) {
      sessionId = new HistoryQueries(db).findSession(values.session)?.id;
      if (!sessionId) throw new UsageError(`no single session matches "${values.session}" (see \`airlock sessions list\`)`);
    }
    report = verifyAuditChain(db, { sessionId });
  } finally {
    db.close();
  }
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
  if (!report.ok) process.exitCode = 1;
}

const EXPLANATIONS: Record<ChainProblem['kind'], string> = {
  'broken-link': 'does not match its hash: it, or the message before it, was edited, deleted or moved',
  'missing-hash': 'has no hash although it was recorded after the chain began: its hash was removed',
  'head-mismatch': 'ends at a different message than recorded: messages were removed from its end, or the session was edited',
  'unknown-session': 'is named by messages but missing from the sessions table',
};

function formatReport(report: ChainReport): string {
  const summary = `${report.sessions} sessions, ${report.verified} messages verified, ${report.unchained} recorded before the chain existed (unchained, not checked)`;
  if (report.ok) return `audit chain intact: ${summary}\n`;
  const lines = report.problems.map(({ sessionId, messageId, kind }) =>
    messageId === null ? `  session ${sessionId} ${EXPLANATIONS[kind]}` : `  session ${sessionId} message ${messageId} ${EXPLANATIONS[kind]}`,
  );
  return `audit chain BROKEN: ${report.problems.length} problems (${summary})\n${lines.join('\n')}\n`;
}
