import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { LockWait } from '../../../../src-gateway/store/lock-wait.js';
import { MessageLog, type MessageRecord } from '../../../../src-gateway/store/message-log.js';
import { DATABASE_FILE, openDatabase } from '../../../../src-gateway/store/open-database.js';

// Another writer on the store, on its own thread (SQLite's busy wait blocks this one): it takes
// the write lock, says so, and lets go when told.
const LOCKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.exec('BEGIN IMMEDIATE');
parentPort.postMessage('locked');
parentPort.on('message', (holdMs) => setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('released'); }, holdMs));
`;

interface Locker {
  release(afterMs?: number): Promise<void>;
}

async function lockStore(path: string): Promise<Locker> {
  const worker = new Worker(LOCKER, { eval: true, workerData: { path, module: require.resolve('better-sqlite3') } });
  const next = () => new Promise<string>((resolve, reject) => worker.once('message', resolve).once('error', reject));
  expect(await next()).toBe('locked');
  return {
    async release(afterMs = 0) {
      const released = next();
      worker.postMessage(afterMs);
      expect(await released).toBe('released');
      await worker.terminate();
    },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function messageLog(waitMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-lock-wait-'));
  dirs.push(dir);
  const db = openDatabase(dir);
  const lockWait = new LockWait(db, waitMs);
  const log = new MessageLog(db, {}, { lockWait });
  log.startSession({ id: 's1', server: 'probe', client: 'test', startedAt: 1 });
  return { path: join(dir, DATABASE_FILE), db, log, lockWait };
}

const record = (n: number): MessageRecord => ({ sessionId: 's1', ts: n, direction: 'to-server', kind: 'request', rpcId: String(n), method: 'tools/call', size: 2, outcome: 'forwarded', body: '{}' });

const code = (write: () => unknown) => {
  try {
    write();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('LockWait', () => {
  it("waits out another writer's short lock, so the write succeeds rather than refusing a call", async () => {
    const { path, log, lockWait, db } = messageLog(5_000);
    const locker = await lockStore(path);
    const released = locker.release(50);
    // Blocks this thread in SQLite's busy wait until the worker commits.
    expect(code(() => log.append(record(1)))).toBe('ok');
    await released;
    expect(lockWait.waitingOut).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 1 });
    db.close();
  });

  it('while the store stays locked, only the first write waits; the rest fail at once, and the first success restores the wait', async () => {
    const { path, log, lockWait, db } = messageLog(20);
    const locker = await lockStore(path);
    expect(code(() => log.append(record(1)))).toBe('SQLITE_BUSY');
    expect(lockWait.waitingOut).toBe(true);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(0);
    for (let n = 2; n <= 5; n++) expect(code(() => log.append(record(n)))).toBe('SQLITE_BUSY');
    expect(code(() => log.startSession({ id: 's2', server: 'probe', client: 'test', startedAt: 2 }))).toBe('SQLITE_BUSY');
    await locker.release();
    expect(code(() => log.append(record(6)))).toBe('ok');
    expect(lockWait.waitingOut).toBe(false);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(20);
    db.close();
  });
});
