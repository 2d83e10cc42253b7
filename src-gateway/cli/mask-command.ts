import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../masking/mask-types.js';
import { TokenVault } from '../masking/token-vault.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import { loadPolicyFile } from '../policy/load-policy.js';
import { compileMaskingPlan } from '../policy/masking-plan.js';
import { DATABASE_FILE, openDatabase } from '../store/open-database.js';
import { parseCommand, resolveConfig, resolveDataDir, UsageError } from './cli-args.js';

/**
 * `airlock mask preview`: what the masking rules would do to a text, a JSON file or a recorded
 * message, before any agent sees it: the masked output and a table of findings.
 */
export async function maskCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {
    text: { type: 'string' },
    file: { type: 'string' },
    message: { type: 'string' },
    server: { type: 'string' },
    tool: { type: 'string' },
    client: { type: 'string' },
    group: { type: 'string', multiple: true },
    policy: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals[0] !== 'preview') throw new UsageError('usage: airlock mask preview --text TEXT | --file FILE | --message ID [--server S --tool T]');
  const sources = [values.text, values.file, values.message].filter((v) => v !== undefined);
  if (sources.length !== 1) throw new UsageError('give exactly one of --text, --file and --message');

  const policyFile = values.policy ?? resolveConfig(values).config.policy;
  const policy = policyFile === undefined ? DEFAULT_POLICY : loadPolicyFile(policyFile);
  const input = readInput(values, resolveDataDir(values));
  const masker = compileMaskingPlan(policy.masking).maskerFor(
    { server: values.server ?? input.server ?? '', tool: values.tool ?? input.tool, client: values.client ?? 'local', groups: values.group ?? [] },
    new TokenVault(),
  );
  if (!masker) {
    process.stdout.write('masking is off for this server and tool under the policy\n');
    return;
  }
  const { value, findings } =
    input.method !== undefined ? masker.maskResult(input.method, input.value) : masker.maskValue(input.value);
  if (values.json) {
    process.stdout.write(JSON.stringify({ masked: value, findings }, null, 2) + '\n');
    return;
  }
  process.stdout.write((typeof value === 'string' ? value : JSON.stringify(value, null, 2)) + '\n\n' + formatFindings(findings));
}

interface PreviewInput {
  value: unknown;
  /** For a recorded answer: the method it answers, so its result is masked as the gateway does. */
  method?: string;
  server?: string;
  tool?: string;
}

function readInput(values: { text?: string; file?: string; message?: string }, dataDir: string): PreviewInput {
  if (values.text !== undefined) return { value: values.text };
  if (values.file !== undefined) {
    if (!existsSync(values.file)) throw new UsageError(`no such file: ${values.file}`);
    const text = readFileSync(values.file, 'utf8');
    if (/\.json$/i.test(values.file)) {
      try {
        return { value: JSON.parse(text) };
      } catch (error) {
        throw new UsageError(`${values.file} is not valid JSON: ${(error as Error).message}`);
      }
    }
    return { value: text };
  }
  if (!existsSync(join(dataDir, DATABASE_FILE))) throw new UsageError(`no recorded history in ${dataDir}`);
  const db = openDatabase(dataDir, { readonly: true });
  try {
    const row = db
      .prepare('SELECT m.body, m.method, m.tool, s.server FROM messages m JOIN sessions s ON s.id = m.session_id WHERE m.id = ?')
      .get(Number(values.message)) as { body: string; method: string | null; tool: string | null; server: string } | undefined;
    if (!row) throw new UsageError(`no recorded message ${values.message} (message ids are in \`airlock sessions show <id> --json\`)`);
    const message = JSON.parse(row.body) as { result?: unknown };
    return 'result' in message
      ? { value: message.result, method: row.method ?? undefined, server: row.server, tool: row.tool ?? undefined }
      : { value: message, server: row.server, tool: row.tool ?? undefined };
  } finally {
    db.close();
  }
}

function formatFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings\n';
  const rows = [['DETECTOR', 'LOCATION', 'REPLACEMENT'], ...findings.map((f) => [f.detector, `${f.pointer || '/'} [${f.start}..${f.end})`, f.replacement])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n') + `\n${findings.length} finding${findings.length === 1 ? '' : 's'}\n`;
}
