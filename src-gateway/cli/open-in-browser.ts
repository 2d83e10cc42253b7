import { spawn } from 'node:child_process';

/**
 * The platform's "open this URL in the default browser" command, with the URL as one argument that
 * no shell parses. Only http(s) URLs are opened: a sign-in URL comes from the issuer's discovery
 * document, and a hostile one must not become a command (mcp-remote's CVE-2025-6514 was exactly
 * that, through `cmd /c start` on Windows, which is why Windows uses rundll32 here).
 */
export function browserCommand(url: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`not a URL: ${JSON.stringify(url.slice(0, 200))}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`refusing to open a ${parsed.protocol} URL`);
  const href = parsed.href;
  if (platform === 'darwin') return ['open', [href]];
  if (platform === 'win32') return ['rundll32.exe', ['url.dll,FileProtocolHandler', href]];
  return ['xdg-open', [href]];
}

/** Opens `url` in the default browser; when that cannot start, `onFailure` tells the user to open it themselves. */
export function openInBrowser(url: string, onFailure: (command: string) => void): void {
  const [command, args] = browserCommand(url);
  const child = spawn(command, args, { detached: true, stdio: 'ignore', shell: false, windowsHide: true });
  child.on('error', () => onFailure(command));
  child.unref();
}
