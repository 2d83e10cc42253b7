import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callMany, expectNoUnrecorded, NOT_RECORDED, outOfOrderRecords, type CallResult } from '../../helpers/audit-invariants.js';
import { fixtureCommand, queryStore, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

// No record, no call (issue 9, item 1): thousands of calls while the store keeps filling up
// (SQLite max_page_count, which bites root too, unlike file modes) and freeing again.
// `npm run faults` runs 5,000 calls per mode; `npm test` a tenth of that, same phases.
const CALLS_PER_MODE = Number(process.env.AUDIT_FAULT_CALLS ?? 1000);
// Room for every call's rows (a few KiB each) plus what the test's filler takes; small, so filling is quick.
const CAP_BYTES = Math.max(4, Math.ceil(CALLS_PER_MODE / 250)) * 1024 * 1024;
const CYCLES = 5;
const CALLS_PER_PHASE = Math.ceil(CALLS_PER_MODE / CYCLES / 2);
const SESSIONS = 4;

let gateway: GatewayProcess | undefined;
let filler: Database.Database | undefined;
const dirs: string[] = [];
afterEach(async () => {
  filler?.close();
  filler = undefined;
  await gateway?.stop();
  gateway = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(auditFailure: 'fail-closed' | 'spool') {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-audit-faults-'));
  dirs.push(dir);
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ rules: [], defaultAction: 'allow', auditFailure }));
  const probeLog = join(dir, 'probe.jsonl');
  gateway = await startGatewayProcess({
    servers: { probe: { ...fixtureCommand('probe-server.ts'), env: { PROBE_LOG: probeLog } } },
    policy: policyFile,
    limits: { maxStoreBytes: CAP_BYTES },
  });
  const clients = await Promise.all(Array.from({ length: SESSIONS }, () => gateway!.connect('probe')));
  filler = new Database(join(gateway.dataDir, 'airlock.db'));
  filler.pragma('busy_timeout = 5000');
  filler.exec('CREATE TABLE IF NOT EXISTS test_filler (blob BLOB)');
  return { gateway, clients, probeLog };
}

/** Another process's writes take the store to the gateway's cap: its next new page is refused. */
function fillStore(db: Database.Database): void {
  const capPages = CAP_BYTES / 4096;
  const insert = db.prepare('INSERT INTO test_filler (blob) VALUES (?)');
  const room = () => (db.pragma('page_count', { simple: true }) as number) < capPages + 16 || (db.pragma('freelist_count', { simple: true }) as number) > 0;
  while (room()) insert.run(Buffer.alloc(256 * 1024));
}

const freeStore = (db: Database.Database) => db.exec('DELETE FROM test_filler');

/**
 * The gateway's file size limit (RLIMIT_FSIZE), set from outside with util-linux `prlimit`: at 0
 * every write to a file fails with EFBIG, root or not (Node ignores SIGXFSZ, so it is an error).
 */
function limitFileSize(pid: number, bytes: number | 'unlimited'): void {
  execFileSync('prlimit', [`--pid=${pid}`, `--fsize=${bytes}:unlimited`]);
}
const hasPrlimit = (() => {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const rate = (calls: number, startedAt: number) => `${Math.round(calls / ((performance.now() - startedAt) / 1000))} calls/s with the faults`;

describe('no record, no call under store faults', () => {
  it('fail-closed: refuses calls it cannot record with a clear error, and every answer delivered has its rows', { timeout: 600_000 }, async () => {
    const { clients, probeLog } = await start('fail-closed');
    const startedAt = performance.now();
    const results: CallResult[] = [];
    let refused = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      fillStore(filler!);
      const faulty = await callMany(clients, CALLS_PER_PHASE);
      refused += faulty.filter((result) => !result.ok).length;
      freeStore(filler!);
      const healthy = await callMany(clients, CALLS_PER_PHASE);
      // Once the store has room again, nothing is refused.
      expect(healthy.filter((result) => !result.ok)).toEqual([]);
      results.push(...faulty, ...healthy);
    }
    expect(results).toHaveLength(CYCLES * CALLS_PER_PHASE * 2);
    for (const result of results.filter((r) => !r.ok)) {
      expect(result.code).toBe(NOT_RECORDED);
      expect(result.message).toMatch(/could not record .* in its audit log/);
    }
    expect(refused).toBeGreaterThan(CYCLES * CALLS_PER_PHASE * 0.5);
    const { delivered, reachedServer } = expectNoUnrecorded(results, gateway!.dataDir, probeLog);
    expect(statSync(join(gateway!.dataDir, 'audit-spool.jsonl'), { throwIfNoEntry: false })).toBeUndefined();
    console.log(`[figures] fail-closed: ${results.length} calls, ${refused} refused while the store was full, ${delivered} delivered, ${reachedServer} reached the server, 0 delivered or forwarded without a committed row (${rate(results.length, startedAt)})`);
  });

  it('spool: calls go on while the store is full, and the spool is replayed into it in order', { timeout: 600_000 }, async () => {
    const { clients, probeLog } = await start('spool');
    const startedAt = performance.now();
    const spoolFile = join(gateway!.dataDir, 'audit-spool.jsonl');
    const results: CallResult[] = [];
    let mostSpooled = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      fillStore(filler!);
      results.push(...(await callMany(clients, CALLS_PER_PHASE)));
      mostSpooled = Math.max(mostSpooled, readFileSync(spoolFile, 'utf8').split('\n').length - 1);
      freeStore(filler!);
      results.push(...(await callMany(clients, CALLS_PER_PHASE)));
    }
    expect(results.filter((result) => !result.ok)).toEqual([]);
    expect(mostSpooled).toBeGreaterThan(CALLS_PER_PHASE);
    await waitFor(() => readFileSync(spoolFile, 'utf8') === '', 'the spool to be replayed');
    const { delivered } = expectNoUnrecorded(results, gateway!.dataDir, probeLog);
    expect(delivered).toBe(CYCLES * CALLS_PER_PHASE * 2);

    // In order: within each session time never goes back, and each answer comes after its call.
    const outOfOrder = outOfOrderRecords(gateway!.dataDir);
    expect(outOfOrder).toBe(0);

    // When the spool itself cannot be written (a directory where the file goes: refused for root
    // too), spool mode fails closed like fail-closed.
    rmSync(spoolFile);
    mkdirSync(spoolFile);
    fillStore(filler!);
    const blocked = await callMany(clients, 100);
    freeStore(filler!);
    const refused = blocked.filter((result) => !result.ok);
    expect(refused.length).toBeGreaterThan(50);
    for (const result of refused) expect(result.code).toBe(NOT_RECORDED);
    expectNoUnrecorded([...results, ...blocked], gateway!.dataDir, probeLog);
    console.log(`[figures] spool: ${results.length} calls, 0 refused, up to ${mostSpooled} records spooled per outage, all replayed, ${outOfOrder} out of order; spool unwritable: ${refused.length}/100 refused (${rate(results.length, startedAt)})`);
  });

  it.skipIf(!hasPrlimit)('fail-closed: a disk that refuses every write (EFBIG) refuses calls, and recording resumes once it takes writes', { timeout: 120_000 }, async () => {
    const { clients, probeLog } = await start('fail-closed');
    const pid = gateway!.child.pid!;
    const results: CallResult[] = [];
    let refused = 0;
    for (let cycle = 0; cycle < 3; cycle++) {
      limitFileSize(pid, 0);
      const faulty = await callMany(clients, CALLS_PER_PHASE);
      limitFileSize(pid, 'unlimited');
      refused += faulty.filter((result) => !result.ok).length;
      for (const result of faulty.filter((r) => !r.ok)) expect(result.code).toBe(NOT_RECORDED);
      const healthy = await callMany(clients, CALLS_PER_PHASE);
      expect(healthy.filter((result) => !result.ok)).toEqual([]);
      results.push(...faulty, ...healthy);
    }
    expect(refused).toBeGreaterThan(3 * CALLS_PER_PHASE * 0.5);
    const { delivered, reachedServer } = expectNoUnrecorded(results, gateway!.dataDir, probeLog);
    expect(queryStore<{ integrity_check: string }>(gateway!.dataDir, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    console.log(`[figures] EFBIG: ${results.length} calls, ${refused} refused while every write failed, ${delivered} delivered, ${reachedServer} reached the server, 0 without a committed row, integrity_check ok`);
  });
});
