import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkHostAndOrigin } from '../../../src-gateway/front/loopback-guard.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('checkHostAndOrigin', () => {
  it.each(['127.0.0.1:7400', 'localhost:7400', '[::1]:7400', 'LOCALHOST', '127.0.0.1'])('admits Host %s', (host) => {
    expect(checkHostAndOrigin(req({ host })).ok).toBe(true);
  });

  it.each([
    '',
    'evil.example',
    'evil.example:7400',
    '127.0.0.1.evil.example',
    'localhost.evil.example:7400',
    '127.0.0.2:7400',
    '0.0.0.0:7400',
    '[::ffff:127.0.0.1]:7400',
    '127.0.0.1@evil.example',
    'evil.example#127.0.0.1',
    '169.254.169.254',
  ])('refuses Host %j', (host) => {
    expect(checkHostAndOrigin(req(host ? { host } : {})).ok).toBe(false);
  });

  it.each(['http://localhost:6274', 'http://127.0.0.1', 'https://[::1]:8443'])('admits Origin %s', (origin) => {
    expect(checkHostAndOrigin(req({ host: 'localhost:7400', origin })).ok).toBe(true);
  });

  it.each(['null', 'https://evil.example', 'http://localhost.evil.example', 'http://127.0.0.1@evil.example', 'file://', 'chrome-extension://abc', 'not a url', 'http://127.0.0.1.nip.io'])(
    'refuses Origin %j',
    (origin) => {
      expect(checkHostAndOrigin(req({ host: 'localhost:7400', origin })).ok).toBe(false);
    },
  );

  it('admits a deliberately configured listen host', () => {
    expect(checkHostAndOrigin(req({ host: 'devbox.lan:7400' }), ['devbox.lan']).ok).toBe(true);
  });
});
