import { spawn } from 'node:child_process';

/** The platform's "open this URL in the default browser" command. */
function opener(url: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [url]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', url]];
  return ['xdg-open', [url]];
}

/** Opens `url` in the default browser; when that cannot start, `onFailure` tells the user to open it themselves. */
export function openInBrowser(url: string, onFailure: (command: string) => void): void {
  const [command, args] = opener(url);
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  child.on('error', () => onFailure(command));
  child.unref();
}
