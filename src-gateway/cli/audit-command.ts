import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain, type ChainProblem, type ChainReport } from '../store/audit-verify.js';
import { HistoryQueries } from '../store/history-queries.js';
import type { LedgerLink, LedgerProblem } from '../store/ledger-verify.js';
import { DATABASE_FILE, openDatabase } from '../store/open-database.js';
import { parseCommand, resolveDataDir, UsageError } from './cli-args.js';

/**
 * `airlock audit verify [--session ID] [--anchor SEQ:HASH] [--json]`: checks the hash chain of the
 * recorded messages and the session ledger, and that the ledger still holds an anchor kept
 * elsewhere. Exit code 0 when everything checks out, 1 when anything was edited, deleted or moved.
 */
export async function auditCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, { session: { type: 'string' }, anchor: { type: 'string' }, json: { type: 'boolean' } });
  const [action] = positionals;
  if (action !== 'verify') throw new UsageError(action ? `unknown audit action "${action}"` : 'audit needs an action: verify');
  const anchor = values.anchor === undefined ? undefined : parseAnchor(values.anchor);
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
    report = verifyAuditChain(db, { sessionId, anchor });
  } finally {
    db.close();
  }
  process.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : formatReport(report));
  if (!report.ok) process.exitCode = 1;
}

/** `<seq>:<hash>` as printed by a successful verify. */
function parseAnchor(text: string): LedgerLink {
  const match = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim().toLowerCase());
  if (!match) throw new UsageError(`--anchor takes SEQ:HASH as printed by \`airlock audit verify\`, not "${text}"`);
  return { seq: Number(match[1]), hash: match[2] };
}

const EXPLANATIONS: Record<ChainProblem['kind'], string> = {
  'broken-link': 'does not match its hash: it, or the message before it, was edited, deleted or moved',
  'missing-hash': 'has no hash although it was recorded after the chain began: its hash was removed',
  'head-mismatch': 'ends at a different message than recorded: messages were removed from its end, or the session was edited',
  'unknown-session': 'is named by messages but missing from the sessions table',
};

const LEDGER_EXPLANATIONS: Record<LedgerProblem['kind'], string> = {
  gap: 'missing: whole sessions were deleted, with their links',
  truncated: 'missing from the end: the newest sessions were deleted, with their links',
  'orphan-link': 'names a session that is missing: the session was deleted',
  'broken-link': 'does not match its hash: it or its session was edited, sessions were reordered, or the link before it changed',
  'unlinked-session': 'has no link in the session ledger: it was added behind the gateway\'s back, or its link was deleted',
  'anchor-mismatch': 'is not the anchor given: the ledger was rewritten up to there',
};

function formatReport(report: ChainReport): string {
  const { ledger } = report;
  const summary =
    `${report.sessions} sessions, ${report.verified} messages verified, ${report.unchained} recorded before the chain existed (unchained, not checked)` +
    (ledger ? `, ${ledger.verified} session ledger links verified` : ', no session ledger (store from before it)');
  if (report.ok) {
    // The head, kept out of reach of whoever can write the store, is what `--anchor` checks later.
    const head = ledger?.head ? `ledger head (keep it elsewhere, check it with --anchor): ${ledger.head.seq}:${ledger.head.hash}\n` : '';
    return `audit chain intact: ${summary}\n${head}`;
  }
  const lines = report.problems.map(({ sessionId, messageId, kind }) =>
    messageId === null ? `  session ${sessionId} ${EXPLANATIONS[kind]}` : `  session ${sessionId} message ${messageId} ${EXPLANATIONS[kind]}`,
  );
  for (const problem of ledger?.problems ?? []) lines.push(`  ${describeLedgerProblem(problem)}`);
  const count = report.problems.length + (ledger?.problems.length ?? 0);
  return `audit chain BROKEN: ${count} problems (${summary})\n${lines.join('\n')}\n`;
}

function describeLedgerProblem({ kind, seq, sessionId, count }: LedgerProblem): string {
  const explanation = LEDGER_EXPLANATIONS[kind];
  if (kind === 'unlinked-session') return `session ${sessionId} ${explanation}`;
  const links = count !== undefined && count > 1 ? `session ledger links ${seq}–${seq! + count - 1} are` : `session ledger link ${seq} is`;
  if (kind === 'gap' || kind === 'truncated') return `${links} ${explanation}`;
  return `session ledger link ${seq}${sessionId ? ` (session ${sessionId})` : ''} ${explanation}`;
}
