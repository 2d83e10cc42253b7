import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../../../src-gateway/cli/open-in-browser.js';

describe('browserCommand', () => {
  it('passes the URL as one argument to the platform opener, never through cmd on Windows', () => {
    const url = 'https://login.example.com/authorize?client_id=a&state=b|c';
    expect(browserCommand(url, 'linux')).toEqual(['xdg-open', [url]]);
    expect(browserCommand(url, 'darwin')).toEqual(['open', [url]]);
    const [command, args] = browserCommand(url, 'win32');
    expect(command).toBe('rundll32.exe');
    expect(args).toEqual(['url.dll,FileProtocolHandler', url]);
  });

  it('refuses what is not an http(s) URL: a hostile issuer cannot make it a command', () => {
    for (const hostile of ['file:///etc/passwd', 'javascript:alert(1)', 'calc.exe', '"; rm -rf ~ #', 'cmd:/c whoami', 'ms-msdt:/id PCWDiagnostic']) {
      expect(() => browserCommand(hostile, 'win32'), hostile).toThrow();
    }
  });
});
