import { parseCommand, resolveDataDir } from './cli-args.js';
import { runningGateway } from './control-client.js';
import { openInBrowser } from './open-in-browser.js';

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
  openInBrowser(link, (command) => process.stderr.write(`airlock: could not start ${command}; open this link yourself:\n${link}\n`));
  process.stdout.write(`opened the Airlock window in your browser (${url}/ui/)\n`);
}
