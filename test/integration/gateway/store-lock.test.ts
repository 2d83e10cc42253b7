import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callMany, expectNoUnrecorded, expectRefusedForTheLog, outOfOrderRecords } from '../../helpers/audit-invariants.js';
import { fixtureCommand, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

// No record, no call when another process holds the store's write lock (someone's sqlite3 shell
// left in a transaction, a backup tool): the gateway must neither answer unrecorded nor stall.
// SQLite's busy wait is synchronous, so every write that waited the old 5 s stopped the whole
// gateway (health, other sessions) for that long; now only the first write meeting the lock waits.

const CALLS = 200;
const SESSIONS_WHILE_LOCKED = 20;

let gateway: GatewayProcess | undefined;
let locker: Database.Database | undefined;
const dirs: string[] = [];
afterEach(async () => {
  if (locker?.inTransaction) locker.exec('ROLLBACK');
  locker?.close();
  locker = undefined;
  await gateway?.stop();
  gateway = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(auditFailure: 'fail-closed' | 'spool') {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-store-lock-'));
  dirs.push(dir);
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ rules: [], defaultAction: 'allow', auditFailure }));
  const probeLog = join(dir, 'probe.jsonl');
  gateway = await startGatewayProcess({ servers: { probe: { ...fixtureCommand('probe-server.ts'), env: { PROBE_LOG: probeLog } } }, policy: policyFile });
  const clients = await Promise.all(Array.from({ length: 4 }, () => gateway!.connect('probe')));
  locker = new Database(join(gateway.dataDir, 'airlock.db'));
  return { gateway, clients, probeLog };
}

/** Health answers while the lock is held: how long each took, for the figures only. */
async function healthWhile<T>(gateway: GatewayProcess, work: Promise<T>): Promise<{ result: T; latencies: number[] }> {
  const latencies: number[] = [];
  let done = false;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      expect((await fetch(new URL('/healthz', gateway.url))).status).toBe(200);
      latencies.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const result = await work;
  done = true;
  await probing;
  return { result, latencies };
}

const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * 0.99))].toFixed(0);

describe('a store locked by another writer', () => {
  it('fail-closed: refuses the calls it cannot record without stalling the gateway, and records again once the lock is gone', { timeout: 120_000 }, async () => {
    const { clients, probeLog } = await start('fail-closed');
    const started = performance.now();
    locker!.exec('BEGIN IMMEDIATE');
    // All of these are settled while the lock is held: with a 5 s wait per write they would take minutes.
    const { result: locked, latencies } = await healthWhile(gateway!, callMany(clients, CALLS));
    const lockedFor = performance.now() - started;
    // Sessions that start meanwhile cannot be recorded either: refused, not left waiting. (Their
    // first write opens a transaction, where SQLite's busy wait applies: 20 of them at the old 5 s
    // per write would hold the event loop past this test's timeout.)
    const sessionsStarted = performance.now();
    const sessions = await Promise.all(Array.from({ length: SESSIONS_WHILE_LOCKED }, () => gateway!.connect('probe').then(() => 'opened', (error: Error) => error.message)));
    const sessionsTook = performance.now() - sessionsStarted;
    for (const outcome of sessions) expect(outcome).toMatch(/-32003: Airlock could not record/);
    locker!.exec('COMMIT');
    expect(expectRefusedForTheLog(locked)).toBe(CALLS);
    const healthy = await callMany(clients, CALLS);
    expect(healthy.filter((result) => !result.ok)).toEqual([]);
    const { delivered, reachedServer } = expectNoUnrecorded([...locked, ...healthy], gateway!.dataDir, probeLog);
    expect(reachedServer).toBe(CALLS);
    console.log(`[figures] store locked, fail-closed: ${CALLS}/${CALLS} calls refused in ${(lockedFor / 1000).toFixed(1)} s (${(lockedFor / CALLS).toFixed(0)} ms each), /healthz p99 ${p99(latencies)} ms over ${latencies.length} probes; ${SESSIONS_WHILE_LOCKED} sessions opened meanwhile refused in ${(sessionsTook / 1000).toFixed(1)} s; after the lock ${delivered} delivered, 0 unrecorded`);
  });

  it('spool: calls go on while the store is locked, and the spool is replayed in order once it is free', { timeout: 120_000 }, async () => {
    const { clients, probeLog } = await start('spool');
    locker!.exec('BEGIN IMMEDIATE');
    const { result: locked, latencies } = await healthWhile(gateway!, callMany(clients, CALLS));
    locker!.exec('COMMIT');
    expect(locked.filter((result) => !result.ok)).toEqual([]);
    await waitFor(() => expectNoUnrecordedQuietly(locked, probeLog), 'the spool to be replayed');
    expect(outOfOrderRecords(gateway!.dataDir)).toBe(0);
    console.log(`[figures] store locked, spool: ${CALLS}/${CALLS} calls went through, /healthz p99 ${p99(latencies)} ms, all replayed in order`);
  });
});

function expectNoUnrecordedQuietly(results: Parameters<typeof expectNoUnrecorded>[0], probeLog: string): boolean {
  try {
    expectNoUnrecorded(results, gateway!.dataDir, probeLog);
    return true;
  } catch {
    return false;
  }
}
