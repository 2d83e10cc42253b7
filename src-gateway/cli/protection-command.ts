import type { ProtectionView } from '../control/contract.js';
import { parseCommand, resolveDataDir, UsageError } from './cli-args.js';
import { callControl } from './control-client.js';

/** `airlock protection status|pause [--minutes N]|resume`: the tray's "pause protection", from a terminal. */
export async function protectionCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand(argv, { minutes: { type: 'string' }, json: { type: 'boolean' } });
  const [action, ...rest] = positionals;
  if (rest.length) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (values.minutes !== undefined && action !== 'pause') throw new UsageError('--minutes goes with `protection pause`');
  const dataDir = resolveDataDir(values);
  let view: ProtectionView;
  if (action === 'status') view = await callControl<ProtectionView>(dataDir, 'GET', '/control/protection');
  else if (action === 'pause') view = await callControl<ProtectionView>(dataDir, 'POST', '/control/protection/pause', { minutes: parseMinutes(values.minutes) });
  else if (action === 'resume') view = await callControl<ProtectionView>(dataDir, 'DELETE', '/control/protection/pause');
  else throw new UsageError(action ? `unknown protection action "${action}"` : 'protection needs an action: status, pause or resume');
  process.stdout.write((values.json ? JSON.stringify(view) : describe(view)) + '\n');
}

function parseMinutes(text: string | undefined): number {
  if (text === undefined) return 15;
  const minutes = Number(text);
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 24 * 60) throw new UsageError(`--minutes must be a whole number from 1 to 1440, not "${text}"`);
  return minutes;
}

function describe({ pausedUntil }: ProtectionView): string {
  if (pausedUntil === null) return 'protection is on: calls that need approval wait for a person';
  const until = new Date(pausedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `protection is paused until ${until}: calls that need approval go through, recorded as rule "paused"`;
}
