import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { revealHidden } from '../pinning/definition-diff.js';
import { ToolPins, type HeldTool, type PinSummary } from '../pinning/tool-pins.js';
import { DATABASE_FILE, openDatabase } from '../store/open-database.js';
import { parseCommand, resolveConfig, resolveDataDir, UsageError } from './cli-args.js';

/**
 * `airlock pins list|held|approve|reject`: pinned tool definitions and the changes held for a
 * person. Works on the store the running gateway uses, which sees a decision on its next
 * tools/list or call.
 */
export async function pinsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, {});
  const [action, server, tool, ...rest] = positionals;
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  resolveConfig(values);
  const deciding = action === 'approve' || action === 'reject';
  if (!deciding && action !== 'list' && action !== 'held') {
    throw new UsageError(action ? `unknown pins action "${action}"` : 'pins needs an action: list, held, approve or reject');
  }
  if (deciding && (!server || !tool)) throw new UsageError(`pins ${action} needs a server and a tool, e.g. \`airlock pins ${action} demo run_sql\``);
  if (!deciding && server) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const dataDir = resolveDataDir(values);
  if (!existsSync(join(dataDir, DATABASE_FILE))) {
    if (deciding) throw new UsageError(`no tool of "${server}" is held: no tools have been seen in ${dataDir} yet`);
    process.stdout.write('no tools seen yet: they are pinned the first time an agent lists them\n');
    return;
  }
  const db = openDatabase(dataDir, { readonly: !deciding });
  try {
    const pins = new ToolPins(db);
    if (action === 'list') {
      process.stdout.write(formatPins(pins.all()));
    } else if (action === 'held') {
      process.stdout.write(formatHeld(pins.held()));
    } else if (action === 'approve') {
      if (!pins.approve(server, tool)) throw new UsageError(`tool "${tool}" of "${server}" is not held (see \`airlock pins held\`)`);
      process.stdout.write(`approved "${tool}" of "${server}": agents see it on their next tools/list\n`);
    } else {
      if (!pins.reject(server, tool)) throw new UsageError(`tool "${tool}" of "${server}" is not waiting for a decision (see \`airlock pins held\`)`);
      process.stdout.write(`rejected "${tool}" of "${server}": it stays hidden while the server offers that definition\n`);
    }
  } finally {
    db.close();
  }
}

function formatPins(pins: PinSummary[]): string {
  if (pins.length === 0) return 'no tools seen yet: they are pinned the first time an agent lists them\n';
  return pins
    .map((pin) => {
      // Every held or rejected pin has a reason.
      const state = pin.state === 'pinned' ? 'pinned' : `${pin.state}: ${describeReason({ reason: pin.reason!, shadows: pin.shadows })}`;
      const since = pin.pinnedAt === null ? '' : `\tpinned ${new Date(pin.pinnedAt).toISOString()}`;
      return `${revealHidden(pin.server)}\t${revealHidden(pin.tool)}\t${pin.hash?.slice(0, 12) ?? '-'}\t${state}${since}\n`;
    })
    .join('');
}

function formatHeld(held: HeldTool[]): string {
  if (held.length === 0) return 'no tools are held\n';
  return held
    .map((tool) => {
      const name = `"${revealHidden(tool.tool)}" of "${revealHidden(tool.server)}"`;
      const header = `${name}: ${describeReason(tool)}, held since ${new Date(tool.since).toISOString()}`;
      const decide = `decide: airlock pins approve|reject ${shellWord(tool.server)} ${shellWord(tool.tool)}`;
      return [header, tool.diff ?? '', decide, ''].join('\n') + '\n';
    })
    .join('');
}

function describeReason(held: Pick<HeldTool, 'reason' | 'shadows'>): string {
  return held.reason === 'changed' ? 'definition changed' : `shadows a tool of "${revealHidden(held.shadows ?? '')}"`;
}

/** Quotes a server or tool name for pasting into a shell, when it needs it. */
function shellWord(word: string): string {
  return /^[\w.@:/-]+$/.test(word) ? word : `'${revealHidden(word).replaceAll("'", `'\\''`)}'`;
}
