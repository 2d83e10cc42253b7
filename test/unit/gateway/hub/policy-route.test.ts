import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { servePolicyBundle } from '../../../../src-gateway/hub/policy-route.js';

const BUNDLE = { version: 'v1', policy: { rules: [{ id: 'r', action: 'deny' }] } };

let dir: string;
let server: Server;
let url: string;
let errors: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-policy-route-'));
  server = createServer(servePolicyBundle(dir, 120, (message) => errors.push(message)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/policy/bundle`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  errors = [];
  for (const name of ['bundle.json', 'bundle.yaml']) rmSync(join(dir, name), { force: true });
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(BUNDLE, null, 2));
});

describe("the hub's policy bundle route", () => {
  it('serves the bundle as JSON with a sha256 ETag and the max-age', async () => {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(response.headers.get('cache-control')).toBe('private, max-age=120');
    expect(await response.json()).toEqual(BUNDLE);
  });

  it('answers 304 to a matching If-None-Match, weak or in a list', async () => {
    const etag = (await fetch(url)).headers.get('etag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const response = await fetch(url, { headers: { 'if-none-match': ifNoneMatch } });
      expect(response.status).toBe(304);
      expect(response.headers.get('etag')).toBe(etag);
    }
    expect((await fetch(url, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('serves an edited bundle under a new ETag without a restart', async () => {
    const before = (await fetch(url)).headers.get('etag');
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ ...BUNDLE, version: 'v2' }));
    const response = await fetch(url, { headers: { 'if-none-match': before! } });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).not.toBe(before);
  });

  it('serves a YAML bundle as the same JSON, with the same ETag as its JSON twin', async () => {
    const jsonEtag = (await fetch(url)).headers.get('etag');
    rmSync(join(dir, 'bundle.json'));
    writeFileSync(join(dir, 'bundle.yaml'), 'version: v1\npolicy:\n  rules:\n    - id: r\n      action: deny\n');
    const response = await fetch(url);
    expect(await response.json()).toEqual(BUNDLE);
    expect(response.headers.get('etag')).toBe(jsonEtag);
  });

  it('never serves an invalid bundle: 500 for the caller, the problems for the operator', async () => {
    writeFileSync(join(dir, 'bundle.json'), JSON.stringify({ version: 'v2', policy: { rules: [{ id: 'r', action: 'maybe' }] } }));
    const response = await fetch(url);
    expect(response.status).toBe(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { error: string };
    expect(body.error).not.toContain(dir);
    expect(errors[0]).toMatch(/bundle\.json is invalid:\n {2}- policy\.rules\.0\.action/);
  });

  it('says which file to write when there is none', async () => {
    rmSync(join(dir, 'bundle.json'));
    expect((await fetch(url)).status).toBe(500);
    expect(errors[0]).toMatch(/no policy bundle in .*: write bundle\.json or bundle\.yaml or bundle\.yml/);
  });

  it('refuses other methods', async () => {
    const response = await fetch(url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers HEAD with the headers only', async () => {
    const response = await fetch(url, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"/);
    expect(await response.text()).toBe('');
  });
});
