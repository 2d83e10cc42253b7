import { spawn } from 'node:child_process';
import { parseCommand, resolveDataDir } from './cli-args.js';
import { runningGateway } from './control-client.js';

/** The platform's "open this URL in the default browser" command. */
function opener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/**
 * `airlock ui [--open]`: the link to the running gateway's window in a browser. The control token
 * travels in the URL fragment, which the browser never sends to a server; the page moves it to
 * session storage and removes it from the address bar.
 */
export async function uiCommand(argv: string[]): Promise<void> {
  const { values } = parseCommand(argv, { open: { type: 'boolean' } });
  const { url, token } = runningGateway(resolveDataDir(values));
  const link = `${url}/ui/#token=${encodeURIComponent(token)}`;
  if (!values.open) {
    process.stdout.write(link + '\n');
    return;
  }
  const [command, args] = opener(link);
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => process.stderr.write(`airlock: could not start ${command}; open this link yourself:\n${link}\n`));
  child.unref();
  process.stdout.write(`opened the Airlock window in your browser (${url}/ui/)\n`);
}
