import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CSP, resolveRendererFile } from '../../../src-main/renderer-files.js';

const ROOT = join('/opt', 'airlock', 'dist', 'renderer');

describe('resolveRendererFile', () => {
  it('serves assets from the renderer dir with their type and the CSP', () => {
    const resolved = resolveRendererFile(ROOT, 'app://airlock/ui/assets/index-abc.js');
    expect(resolved).toMatchObject({ status: 200, file: join(ROOT, 'assets/index-abc.js') });
    expect(resolved.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'content-security-policy': APP_CSP, 'x-content-type-options': 'nosniff' });
  });

  it('answers client-side routes with index.html (SPA fallback)', () => {
    for (const url of ['app://airlock/ui/', 'app://airlock/ui', 'app://airlock/ui/approvals?focus=abc', 'app://airlock/ui/history/s-1']) {
      expect(resolveRendererFile(ROOT, url)).toMatchObject({ status: 200, file: join(ROOT, 'index.html') });
    }
  });

  it.each([
    'app://airlock/ui/../../etc/passwd.txt',
    'app://airlock/ui/%2e%2e/%2e%2e/etc/passwd.txt',
    'app://airlock/ui/assets/..%2F..%2F..%2Fsecret.json',
    'app://airlock/ui/..%5C..%5Csecret.json',
    'app://airlock/ui/%00.js',
    'app://airlock/ui/%E0%A4%A.js',
    'app://airlock/secret.json',
    'app://other/ui/index.html',
    'https://airlock/ui/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    const resolved = resolveRendererFile(ROOT, url);
    expect(resolved.status).toBe(404);
    expect(resolved.headers['content-security-policy']).toBe(APP_CSP);
  });

  it('allows no network from the page and no framing', () => {
    expect(APP_CSP).toContain("connect-src 'none'");
    expect(APP_CSP).toContain("default-src 'none'");
    expect(APP_CSP).toContain("frame-ancestors 'none'");
    expect(APP_CSP).not.toContain('unsafe-inline');
  });
});
