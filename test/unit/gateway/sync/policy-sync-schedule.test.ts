import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../../src-gateway/logger.js';
import { PolicySync } from '../../../../src-gateway/sync/policy-sync.js';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const BUNDLE = JSON.stringify({ version: 'v1', policy: { rules: [] } });

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'airlock-sync-schedule-'));
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A poller whose hub answers with `answer()` each time; counts the polls. */
function pollerWith(answer: () => Response) {
  const polls = { count: 0 };
  const sync = new PolicySync({
    hub: 'https://hub.test/org',
    fetch: async (url) => {
      expect(String(url)).toBe('https://hub.test/org/policy/bundle');
      polls.count++;
      return answer();
    },
    accessToken: async () => 'token',
    dataDir,
    floorSeconds: 60,
    airlockVersion: '1.0.0',
    apply: () => {},
    logger: quiet,
    random: () => 1,
  });
  return { sync, polls };
}

const ok = (cacheControl?: string) => () => new Response(BUNDLE, { status: 200, headers: { etag: '"a"', ...(cacheControl ? { 'cache-control': cacheControl } : {}) } });

/** The polls made after `seconds` more seconds. */
async function after(polls: { count: number }, seconds: number): Promise<number> {
  await vi.advanceTimersByTimeAsync(seconds * 1000);
  return polls.count;
}

describe('when the policy sync asks the hub again', () => {
  it("waits for the hub's max-age", async () => {
    const { sync, polls } = pollerWith(ok('private, max-age=300'));
    await sync.syncNow();
    expect(await after(polls, 299)).toBe(1);
    expect(await after(polls, 1)).toBe(2);
    sync.stop();
  });

  it('never polls more often than the floor', async () => {
    const { sync, polls } = pollerWith(ok('max-age=5'));
    await sync.syncNow();
    expect(await after(polls, 59)).toBe(1);
    expect(await after(polls, 1)).toBe(2);
    sync.stop();
  });

  it('asks at least hourly whatever max-age says', async () => {
    const { sync, polls } = pollerWith(ok('max-age=31536000'));
    await sync.syncNow();
    expect(await after(polls, 3600)).toBe(2);
    sync.stop();
  });

  it('backs off exponentially from the floor while polls fail, and resets after a success', async () => {
    let failing = true;
    const { sync, polls } = pollerWith(() => (failing ? new Response('down', { status: 503 }) : ok()()));
    await sync.syncNow();
    expect(sync.status().error).toMatch(/the hub answered 503/);
    expect(await after(polls, 60)).toBe(2);
    expect(await after(polls, 119)).toBe(2);
    expect(await after(polls, 1)).toBe(3);
    failing = false;
    expect(await after(polls, 240)).toBe(4);
    expect(sync.status().error).toBeUndefined();
    expect(await after(polls, 60)).toBe(5);
    sync.stop();
  });

  it('stops polling when stopped', async () => {
    const { sync, polls } = pollerWith(ok());
    await sync.syncNow();
    sync.stop();
    expect(await after(polls, 7200)).toBe(1);
  });
});
