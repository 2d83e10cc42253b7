import type Database from 'better-sqlite3';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditFailureMode } from '../../../../src-gateway/policy/policy-schema.js';
import { AuditSpool, SPOOL_FILE } from '../../../../src-gateway/store/audit-spool.js';
import type { MessageRecord } from '../../../../src-gateway/store/message-log.js';
import { openDatabase } from '../../../../src-gateway/store/open-database.js';
import { SpoolingMessageLog } from '../../../../src-gateway/store/spooling-message-log.js';

const dirs: string[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store capped at 256 KiB, with a filler table taking most of it so tests can free space. */
function store(mode: { current: AuditFailureMode }, dir = mkdtempSync(join(tmpdir(), 'airlock-spool-')), maxSpoolBytes?: number) {
  if (!dirs.includes(dir)) dirs.push(dir);
  const db = openDatabase(dir, { maxBytes: 256 * 1024 });
  db.exec('CREATE TABLE IF NOT EXISTS filler (blob BLOB)');
  const spool = new AuditSpool(dir, maxSpoolBytes);
  const log = new SpoolingMessageLog(db, {}, {}, { spool, mode: () => mode.current, retryMs: 60_000 });
  cleanups.push(() => {
    log.close();
    if (db.open) db.close();
  });
  return { dir, db, log, spool };
}

const message = (sessionId: string, n: number): MessageRecord => ({
  sessionId,
  ts: 1_000 + n,
  direction: n % 2 === 0 ? 'to-server' : 'to-agent',
  kind: n % 2 === 0 ? 'request' : 'response',
  rpcId: JSON.stringify(Math.floor(n / 2)),
  method: 'tools/call',
  size: 10,
  outcome: n % 2 === 0 ? 'forwarded' : 'ok',
  body: JSON.stringify({ n, pad: 'x'.repeat(200) }),
});

/** Fills the store to its cap: filler first, then messages until one is refused (in fail-closed, so it throws). */
function fill(db: Database.Database, log: SpoolingMessageLog, sessionId: string, mode: { current: AuditFailureMode }): number {
  const wanted = mode.current;
  mode.current = 'fail-closed';
  const insert = db.prepare('INSERT INTO filler (blob) VALUES (?)');
  try {
    for (;;) insert.run(Buffer.alloc(16 * 1024));
  } catch (error) {
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
  }
  let written = 0;
  try {
    for (;;) log.append(message(sessionId, 10_000 + written++));
  } catch (error) {
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
  }
  mode.current = wanted;
  return written - 1;
}

const rows = (db: Database.Database, sessionId: string) =>
  db.prepare('SELECT ts FROM messages WHERE session_id = ? AND ts < 10000 ORDER BY id').pluck().all(sessionId) as number[];

describe('the audit failure modes', () => {
  it('refuses a write the full store cannot take in fail-closed mode, and spools nothing', () => {
    const mode = { current: 'fail-closed' as AuditFailureMode };
    const { db, log, dir } = store(mode);
    log.startSession({ id: 's', server: 'demo', client: 'c', startedAt: 1 });
    expect(fill(db, log, 's', mode)).toBeGreaterThan(0);
    expect(() => log.append(message('s', 0))).toThrow(/full/);
    expect(log.spooled).toBe(0);
    expect(statSync(join(dir, SPOOL_FILE), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('spools writes while the store is full and replays them in order once it has room', () => {
    const mode = { current: 'spool' as AuditFailureMode };
    const { db, log, dir } = store(mode);
    log.startSession({ id: 's', server: 'demo', client: 'c', startedAt: 1 });
    fill(db, log, 's', mode);
    log.startSession({ id: 't', server: 'demo', client: 'c', startedAt: 2 });
    for (let n = 0; n < 50; n++) expect(log.append(message(n % 3 === 0 ? 't' : 's', n))).toBe(0);
    log.endSession('t', 'agent left', 3);
    // The session rows may still fit in a page with room; the messages do not.
    expect(log.spooled).toBeGreaterThanOrEqual(50);
    expect(readFileSync(join(dir, SPOOL_FILE), 'utf8').trim().split('\n')).toHaveLength(log.spooled);
    expect(rows(db, 's')).toEqual([]);

    db.exec('DELETE FROM filler');
    log.append(message('s', 50));

    expect(log.spooled).toBe(0);
    expect(readFileSync(join(dir, SPOOL_FILE), 'utf8')).toBe('');
    const expected = (session: string) => Array.from({ length: 51 }, (_, n) => n).filter((n) => (n % 3 === 0 ? 't' : 's') === session || n === 50 && session === 's');
    expect(rows(db, 's')).toEqual(expected('s').map((n) => 1_000 + n));
    expect(rows(db, 't')).toEqual(expected('t').map((n) => 1_000 + n));
    expect(db.prepare("SELECT ended_at, end_reason FROM sessions WHERE id = 't'").get()).toEqual({ ended_at: 3, end_reason: 'agent left' });
  });

  it('refuses writes once the spool holds limits.maxSpoolBytes, and takes them again after the replay', () => {
    const mode = { current: 'spool' as AuditFailureMode };
    const { db, log, dir } = store(mode, undefined, 64 * 1024);
    log.startSession({ id: 's', server: 'demo', client: 'c', startedAt: 1 });
    fill(db, log, 's', mode);
    let spooled = 0;
    let refusal: unknown;
    for (let n = 0; n < 1_000 && !refusal; n++) {
      try {
        log.append(message('s', n));
        spooled++;
      } catch (error) {
        refusal = error;
      }
    }
    expect(String(refusal)).toMatch(/audit spool .* is full \(limits\.maxSpoolBytes, 65536 bytes\)/);
    // Each message line is about 400 bytes: the spool stopped near its cap, on disk as in memory.
    expect(spooled).toBeGreaterThan(100);
    expect(log.spooled).toBe(spooled);
    expect(statSync(join(dir, SPOOL_FILE)).size).toBeLessThanOrEqual(64 * 1024);
    db.exec('DELETE FROM filler');
    log.append(message('s', 5_000));
    expect(log.spooled).toBe(0);
    expect(rows(db, 's')).toHaveLength(spooled + 1);
  });

  it('keeps later writes behind waiting ones even after a switch to fail-closed', () => {
    const mode = { current: 'spool' as AuditFailureMode };
    const { db, log } = store(mode);
    log.startSession({ id: 's', server: 'demo', client: 'c', startedAt: 1 });
    fill(db, log, 's', mode);
    log.append(message('s', 0));
    mode.current = 'fail-closed';
    expect(() => log.append(message('s', 1))).toThrow(/1 earlier records wait/);
    db.exec('DELETE FROM filler');
    log.append(message('s', 2));
    expect(rows(db, 's')).toEqual([1_000, 1_002]);
  });

  it('replays a spool left by an earlier run when the store opens, dropping a torn last line', () => {
    const mode = { current: 'spool' as AuditFailureMode };
    const first = store(mode);
    first.log.startSession({ id: 's', server: 'demo', client: 'c', startedAt: 1 });
    fill(first.db, first.log, 's', mode);
    for (let n = 0; n < 5; n++) first.log.append(message('s', n));
    first.db.exec('DELETE FROM filler');
    for (const cleanup of cleanups.splice(0)) cleanup();
    appendFileSync(join(first.dir, SPOOL_FILE), '{"op":"message","rec');

    const second = store(mode, first.dir);
    expect(second.log.spooled).toBe(0);
    expect(rows(second.db, 's')).toEqual([1_000, 1_001, 1_002, 1_003, 1_004]);
  });

  it('does not replay twice a spool whose replay was committed just before the gateway died', () => {
    const mode = { current: 'spool' as AuditFailureMode };
    const first = store(mode);
    first.log.startSession({ id: 's', server: 'demo', client: 'c', startedAt: 1 });
    fill(first.db, first.log, 's', mode);
    for (let n = 0; n < 5; n++) first.log.append(message('s', n));
    const spooled = readFileSync(join(first.dir, SPOOL_FILE), 'utf8');
    first.db.exec('DELETE FROM filler');
    expect(first.log.replay()).toBe(true);
    for (const cleanup of cleanups.splice(0)) cleanup();
    // As if the process died after the replay's commit and before the spool was emptied.
    appendFileSync(join(first.dir, SPOOL_FILE), spooled);

    const second = store(mode, first.dir);
    expect(second.log.spooled).toBe(0);
    expect(readFileSync(join(first.dir, SPOOL_FILE), 'utf8')).toBe('');
    expect(rows(second.db, 's')).toEqual([1_000, 1_001, 1_002, 1_003, 1_004]);
  });

  it('fails closed in spool mode when the spool itself cannot be written', () => {
    const mode = { current: 'spool' as AuditFailureMode };
    const { db, log, dir } = store(mode);
    log.startSession({ id: 's', server: 'demo', client: 'c', startedAt: 1 });
    fill(db, log, 's', mode);
    // A directory where the spool file goes: refused for root too, unlike file modes.
    mkdirSync(join(dir, SPOOL_FILE));
    expect(() => log.append(message('s', 0))).toThrow(/EISDIR/);
    expect(log.spooled).toBe(0);
  });
});
