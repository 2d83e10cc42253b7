import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditOutbox } from '../../../../src-gateway/store/audit-outbox.js';
import { MessageLog, type MessageRecord } from '../../../../src-gateway/store/message-log.js';
import { openDatabase } from '../../../../src-gateway/store/open-database.js';

const dirs: string[] = [];
const dbs: Database.Database[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function store(options: { outbox?: boolean; dir?: string } = {}) {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'airlock-outbox-'));
  if (!options.dir) dirs.push(dir);
  const db = openDatabase(dir);
  dbs.push(db);
  const log = new MessageLog(db, {}, { outbox: options.outbox ?? true });
  return { dir, db, log, outbox: new AuditOutbox(db) };
}

const message = (sessionId: string, n: number, extra: Partial<MessageRecord> = {}): MessageRecord => ({
  sessionId,
  ts: 1_000 + n,
  direction: 'to-server',
  kind: 'request',
  rpcId: JSON.stringify(n),
  method: 'tools/call',
  tool: 'lookup',
  size: 10,
  outcome: 'forwarded',
  body: JSON.stringify({ jsonrpc: '2.0', id: n, method: 'tools/call' }),
  ...extra,
});

describe('the audit outbox', () => {
  it('gets a row for every appended message in org mode, with the session user, groups and masking detectors', () => {
    const { log, outbox } = store();
    log.startSession({ id: 's1', server: 'crm', client: 'cursor', startedAt: 1, user: { id: 'ada', name: 'Ada' }, groups: ['eng'] });
    log.append(message('s1', 1));
    log.append(message('s1', 2, { maskEvents: [{ detector: 'email', count: 2, pointers: ['/a'] }, { detector: 'iban', count: 1, pointers: ['/b'] }] }));
    const batch = outbox.claim('batch-1', 10)!;
    expect(batch.id).toBe('batch-1');
    expect(batch.records.map((r) => [r.messageId, r.userId, r.userName, r.groups, r.detectors.sort(), r.server, r.client])).toEqual([
      [1, 'ada', 'Ada', ['eng'], [], 'crm', 'cursor'],
      [2, 'ada', 'Ada', ['eng'], ['email', 'iban'], 'crm', 'cursor'],
    ]);
  });

  it('stays empty when org mode is off', () => {
    const { log, outbox } = store({ outbox: false });
    log.startSession({ id: 's1', server: 'crm', client: 'cursor', startedAt: 1 });
    log.append(message('s1', 1));
    expect(outbox.counts().unshipped).toBe(0);
    expect(outbox.claim('b', 10)).toBeNull();
  });

  it('writes no outbox row when the message itself cannot be committed', () => {
    const { log, outbox } = store();
    // No such session: the foreign key refuses the message, and its outbox row goes with it.
    expect(() => log.append(message('missing', 1))).toThrow();
    expect(outbox.counts().unshipped).toBe(0);
  });

  it('resumes an unacknowledged batch with the same id and records after a restart, and starts a new one after the ack', () => {
    const first = store();
    first.log.startSession({ id: 's1', server: 'crm', client: 'cursor', startedAt: 1 });
    for (let n = 1; n <= 5; n++) first.log.append(message('s1', n));
    expect(first.outbox.claim('batch-a', 3)!.records.map((r) => r.messageId)).toEqual([1, 2, 3]);
    first.db.close();

    const again = store({ dir: first.dir });
    const resumed = again.outbox.claim('batch-b', 3)!;
    expect(resumed.id).toBe('batch-a');
    expect(resumed.records.map((r) => r.messageId)).toEqual([1, 2, 3]);
    again.outbox.acknowledge('batch-a', 9_999);
    const next = again.outbox.claim('batch-c', 3)!;
    expect(next.id).toBe('batch-c');
    expect(next.records.map((r) => r.messageId)).toEqual([4, 5]);
    expect(again.outbox.counts()).toMatchObject({ unshipped: 2, oldestAt: 1_004, lastShippedAt: 9_999, dropped: 0 });
  });

  it('drops only the oldest records outside the batch in flight and counts them', () => {
    const { log, outbox } = store();
    log.startSession({ id: 's1', server: 'crm', client: 'cursor', startedAt: 1 });
    for (let n = 1; n <= 6; n++) log.append(message('s1', n));
    outbox.claim('in-flight', 2);
    expect(outbox.drop(3)).toBe(3);
    expect(outbox.counts()).toMatchObject({ unshipped: 3, dropped: 3 });
    outbox.acknowledge('in-flight', 1);
    expect(outbox.claim('next', 10)!.records.map((r) => r.messageId)).toEqual([6]);
  });

  it('keeps one installation id for the life of the database', () => {
    const first = store();
    const id = first.outbox.installationId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    first.db.close();
    expect(store({ dir: first.dir }).outbox.installationId()).toBe(id);
  });
});
