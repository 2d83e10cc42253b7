import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../src-gateway/logger.js';
import { AuditOutbox } from '../../../../src-gateway/store/audit-outbox.js';
import { MessageLog } from '../../../../src-gateway/store/message-log.js';
import { openDatabase } from '../../../../src-gateway/store/open-database.js';
import { AuditShipper } from '../../../../src-gateway/sync/audit-shipper.js';
import { fullJitterDelay } from '../../../../src-gateway/sync/full-jitter.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A shipper on a real store whose user is signed out: nothing leaves, so retention alone acts. */
function signedOutShipper(audit: { warnUnshipped: number; maxUnshipped: number }, records: number) {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-shipper-'));
  const db = openDatabase(dir);
  const log = new MessageLog(db, {}, { outbox: true });
  log.startSession({ id: 's', server: 'probe', client: 'test', startedAt: 1 });
  for (let n = 1; n <= records; n++) {
    log.append({ sessionId: 's', ts: n, direction: 'to-server', kind: 'notification', method: 'notifications/x', size: 2, outcome: 'delivered', body: '{}' });
  }
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} };
  let fetched = 0;
  const shipper = new AuditShipper({
    outbox: new AuditOutbox(db),
    hub: 'https://hub.invalid',
    fetch: async () => {
      fetched++;
      return new Response(null, { status: 200 });
    },
    accessToken: async () => undefined,
    audit: { batchSize: 2, ...audit },
    version: '0.0.0',
    logger,
    idleMs: 60_000,
    backoff: { baseMs: 60_000, capMs: 60_000 },
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => void db.close(), () => shipper.stop());
  return { shipper, warnings, fetched: () => fetched };
}

describe('the audit shipper', () => {
  it('keeps every record while signed out and says why, sending nothing', async () => {
    const { shipper, fetched } = signedOutShipper({ warnUnshipped: 100, maxUnshipped: 0 }, 5);
    shipper.start();
    await shipper.shipNow();
    expect(shipper.status()).toMatchObject({ unshipped: 5, dropped: 0, lastError: expect.stringContaining('not signed in') });
    expect(fetched()).toBe(0);
  });

  it('warns once the outbox reaches warnUnshipped', async () => {
    const { shipper, warnings } = signedOutShipper({ warnUnshipped: 4, maxUnshipped: 0 }, 5);
    shipper.start();
    await shipper.shipNow();
    expect(warnings.some((w) => w.includes('5 records wait to be shipped'))).toBe(true);
  });

  it('drops the oldest records beyond maxUnshipped, but never those of the batch already claimed, and counts them', async () => {
    const { shipper, warnings } = signedOutShipper({ warnUnshipped: 100, maxUnshipped: 3 }, 7);
    shipper.start();
    await shipper.shipNow();
    // The first attempt dropped 4 of 7 before claiming a batch of 2; the next keeps 3 as well.
    expect(shipper.status()).toMatchObject({ unshipped: 3, dropped: 4 });
    expect(warnings.some((w) => w.includes('dropped the 4 oldest unshipped records'))).toBe(true);
  });
});

describe('fullJitterDelay', () => {
  it('draws up to base × 2^(attempt-1), never beyond the cap', () => {
    const bounds = { baseMs: 1000, capMs: 8000 };
    expect([1, 2, 3, 4, 5].map((attempt) => fullJitterDelay(attempt, bounds, () => 0.999999))).toEqual([999, 1999, 3999, 7999, 7999]);
    expect(fullJitterDelay(3, bounds, () => 0)).toBe(0);
    expect(fullJitterDelay(10_000, bounds, () => 0.5)).toBe(4000);
  });
});
