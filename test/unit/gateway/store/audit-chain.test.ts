import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../../src-gateway/store/audit-verify.js';
import { migrate } from '../../../../src-gateway/store/migrate.js';
import { MessageLog, type MessageRecord } from '../../../../src-gateway/store/message-log.js';
import { DATABASE_FILE, MIGRATIONS, openDatabase } from '../../../../src-gateway/store/open-database.js';

const SESSIONS = 6;
const MESSAGES = 200;
const TAMPERINGS = 1000;

const COLUMNS = [
  'id', 'session_id', 'ts', 'direction', 'kind', 'rpc_id', 'method', 'tool', 'size', 'duration_ms',
  'outcome', 'decision', 'rule_id', 'body', 'original_sealed', 'chain_hash',
] as const;

type Row = Record<(typeof COLUMNS)[number], unknown> & { id: number; session_id: string };

const recordArbitrary = fc.record({
  session: fc.nat({ max: SESSIONS - 1 }),
  ts: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  direction: fc.constantFrom('to-server', 'to-agent') as fc.Arbitrary<MessageRecord['direction']>,
  kind: fc.constantFrom('request', 'response', 'error', 'notification') as fc.Arbitrary<MessageRecord['kind']>,
  rpcId: fc.option(fc.jsonValue().map((v) => JSON.stringify(v)), { nil: undefined }),
  // Lone surrogates included: SQLite stores them as U+FFFD, which once made intact rows look edited.
  tool: fc.option(fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('\uD800', 'a\uDC00b', '\uDBFF\uDBFF')), { nil: undefined }),
  method: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }),
  durationMs: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
  outcome: fc.constantFrom('forwarded', 'ok', 'error', 'denied', 'failed') as fc.Arbitrary<MessageRecord['outcome']>,
  decision: fc.option(fc.constantFrom('allow', 'deny', 'masked'), { nil: undefined }),
  body: fc.jsonValue().map((v) => JSON.stringify({ jsonrpc: '2.0', result: v })),
  originalSealed: fc.option(fc.base64String(), { nil: undefined }),
  maskEvents: fc.array(fc.record({ detector: fc.string(), count: fc.nat(), pointers: fc.array(fc.string(), { maxLength: 3 }) }), { maxLength: 2 }),
});

describe('the audit hash chain', () => {
  let dir: string;
  let db: Database.Database;
  let rows: Row[];
  const sessionIds = Array.from({ length: SESSIONS }, (_, i) => `session-${i}`);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-chain-'));
    db = openDatabase(dir);
    const log = new MessageLog(db, {}, { outbox: true });
    sessionIds.forEach((id, i) => log.startSession({ id, server: i === 3 ? "lone-\uD800" : `server-${i % 2}`, client: 'test', startedAt: 1_700_000_000_000 + i, user: i === 0 ? { id: 'u1', name: 'Ada' } : undefined, groups: i === 0 ? ['ops'] : [] }));
    // Random, awkward content (unicode, floats, JSON ids, masking events), so the hash of a row as
    // written is also the hash of the row as read back.
    for (const r of fc.sample(recordArbitrary, { numRuns: MESSAGES, seed: 9 })) {
      const body = r.body;
      log.append({ ...r, sessionId: sessionIds[r.session], size: Buffer.byteLength(body), body, maskEvents: r.maskEvents });
    }
    // Tampered with in memory (a copy of the file), which keeps thousands of cases quick; foreign
    // keys off, as in a `sqlite3` shell: the tamperer is not held to the schema's rules.
    const file = db;
    file.pragma('journal_mode = DELETE'); // an in-memory copy cannot be in WAL mode
    db = new Database(file.serialize());
    db.pragma('foreign_keys = OFF');
    file.close();
    rows = db.prepare('SELECT * FROM messages ORDER BY id').all() as Row[];
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies an untouched store, every message of every session', () => {
    const report = verifyAuditChain(db);
    expect(report).toMatchObject({ ok: true, sessions: SESSIONS, verified: MESSAGES, unchained: 0, problems: [], ledger: { verified: SESSIONS, problems: [] } });
    expect(verifyAuditChain(db, { sessionId: 'session-1' })).toMatchObject({ ok: true, sessions: 1, verified: rows.filter((r) => r.session_id === 'session-1').length });
  });

  it('detects every random single-row edit, deletion and reordering', () => {
    const detected: Record<string, number> = {};
    const tried: Record<string, number> = {};
    const tamperings = fc.oneof(
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), row: fc.nat({ max: MESSAGES - 1 }), column: fc.constantFrom(...COLUMNS), salt: fc.nat() }) },
      fc.record({ kind: fc.constant('delete' as const), row: fc.nat({ max: MESSAGES - 1 }) }),
      fc.record({ kind: fc.constant('reorder' as const), row: fc.nat({ max: MESSAGES - 1 }), other: fc.nat({ max: MESSAGES - 1 }) }),
      fc.record({ kind: fc.constant('session-edit' as const), session: fc.nat({ max: SESSIONS - 1 }), column: fc.constantFrom('server', 'client', 'started_at', 'user_id', 'user_groups', 'chain_head') }),
      fc.record({ kind: fc.constant('mask-event' as const), pick: fc.nat(), remove: fc.boolean() }),
    );
    fc.assert(
      fc.property(tamperings, (t) => {
        db.exec('SAVEPOINT tamper');
        try {
          const what = tamper(db, rows, t);
          if (what === undefined) return; // nothing to tamper with (e.g. a row with itself)
          tried[what] = (tried[what] ?? 0) + 1;
          const report = verifyAuditChain(db);
          if (!report.ok) detected[what] = (detected[what] ?? 0) + 1;
          expect(report.ok, `undetected: ${JSON.stringify(t)}`).toBe(false);
        } finally {
          db.exec('ROLLBACK TO tamper; RELEASE tamper');
        }
      }),
      { numRuns: TAMPERINGS, seed: 2025 },
    );
    const total = Object.values(tried).reduce((a, b) => a + b, 0);
    console.log(`audit chain: ${total} single-row tamperings, ${Object.values(detected).reduce((a, b) => a + b, 0)} detected`, tried);
    expect(total).toBeGreaterThan(TAMPERINGS * 0.9);
    expect(verifyAuditChain(db).ok).toBe(true);
  }, 120_000);

  it('points at the edited message', () => {
    const victim = rows[MESSAGES / 2];
    db.exec('SAVEPOINT t');
    db.prepare("UPDATE messages SET body = replace(body, '2.0', '2.1') WHERE id = ?").run(victim.id);
    const report = verifyAuditChain(db);
    db.exec('ROLLBACK TO t; RELEASE t');
    expect(report.problems).toEqual([{ sessionId: victim.session_id, messageId: victim.id, kind: 'broken-link' }]);
  });
});

describe('a store recorded before the chain existed', () => {
  it('reports the old messages as unchained, not tampered, and chains the new ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-chain-legacy-'));
    try {
      // Schema 008, written the way the gateway wrote it then.
      const raw = new Database(join(dir, DATABASE_FILE));
      migrate(raw, MIGRATIONS.filter((m) => m.version <= 8));
      raw.prepare("INSERT INTO sessions (id, server, client, started_at) VALUES ('old', 'demo', 'test', 1)").run();
      const insert = raw.prepare("INSERT INTO messages (session_id, ts, direction, kind, size, outcome, body) VALUES ('old', ?, 'to-server', 'request', 2, 'forwarded', '{}')");
      for (let i = 0; i < 5; i++) insert.run(i);
      raw.close();

      const db = openDatabase(dir);
      try {
        const log = new MessageLog(db);
        log.startSession({ id: 'new', server: 'demo', client: 'test', startedAt: 2 });
        for (let i = 0; i < 3; i++) log.append({ sessionId: 'new', ts: 10 + i, direction: 'to-server', kind: 'request', size: 2, outcome: 'forwarded', body: '{}' });
        expect(verifyAuditChain(db)).toMatchObject({ ok: true, sessions: 2, verified: 3, unchained: 5, problems: [], ledger: { verified: 2, problems: [] } });

        // Old rows cannot be checked; a new row whose hash is blanked out to pass as old is caught.
        db.prepare("UPDATE messages SET body = '{\"edited\":1}' WHERE session_id = 'old'").run();
        expect(verifyAuditChain(db).ok).toBe(true);
        const newest = db.prepare("SELECT max(id) FROM messages WHERE session_id = 'new'").pluck().get() as number;
        db.prepare('UPDATE messages SET chain_hash = NULL WHERE id = ?').run(newest);
        expect(verifyAuditChain(db).problems).toEqual([
          { sessionId: 'new', messageId: newest, kind: 'missing-hash' },
          { sessionId: 'new', messageId: null, kind: 'head-mismatch' },
        ]);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

type Tampering =
  | { kind: 'edit'; row: number; column: (typeof COLUMNS)[number]; salt: number }
  | { kind: 'delete'; row: number }
  | { kind: 'reorder'; row: number; other: number }
  | { kind: 'session-edit'; session: number; column: string }
  | { kind: 'mask-event'; pick: number; remove: boolean };

/** Applies one tampering the way someone with the file and `sqlite3` could; returns its label. */
function tamper(db: Database.Database, rows: Row[], t: Tampering): string | undefined {
  switch (t.kind) {
    case 'edit': {
      const row = rows[t.row];
      const value = changed(row[t.column], t.column, t.salt, rows);
      db.prepare(`UPDATE messages SET ${t.column} = ? WHERE id = ?`).run(value, row.id);
      return `edit ${t.column}`;
    }
    case 'delete':
      db.prepare('DELETE FROM messages WHERE id = ?').run(rows[t.row].id);
      return 'delete';
    case 'reorder': {
      // Two messages of one session trade places: the later one now comes first.
      const a = rows[t.row];
      const sameSession = rows.filter((r) => r.session_id === a.session_id && r.id !== a.id);
      if (sameSession.length === 0) return undefined;
      const b = sameSession[t.other % sameSession.length];
      db.prepare('UPDATE messages SET id = -1 WHERE id = ?').run(a.id);
      db.prepare('UPDATE messages SET id = ? WHERE id = ?').run(a.id, b.id);
      db.prepare('UPDATE messages SET id = ? WHERE id = -1').run(b.id);
      return 'reorder';
    }
    case 'session-edit': {
      const id = `session-${t.session}`;
      const value = t.column === 'started_at' ? 5 : t.column === 'chain_head' ? '0'.repeat(64) : t.column === 'user_groups' ? '["admins"]' : 'someone-else';
      db.prepare(`UPDATE sessions SET ${t.column} = ? WHERE id = ?`).run(value, id);
      return `session ${t.column}`;
    }
    case 'mask-event': {
      const events = db.prepare('SELECT id FROM mask_events ORDER BY id').pluck().all() as number[];
      const id = events[t.pick % events.length];
      if (t.remove) db.prepare('DELETE FROM mask_events WHERE id = ?').run(id);
      else db.prepare('UPDATE mask_events SET count = count + 1 WHERE id = ?').run(id);
      return t.remove ? 'mask-event delete' : 'mask-event edit';
    }
  }
}

/** A different value for a column, as a tamperer would write it (within the schema's checks). */
function changed(old: unknown, column: string, salt: number, rows: Row[]): unknown {
  switch (column) {
    case 'id':
      return rows.at(-1)!.id + 1 + (salt % 1000);
    case 'session_id':
      return old === 'session-0' ? 'session-1' : 'session-0';
    case 'direction':
      return old === 'to-server' ? 'to-agent' : 'to-server';
    case 'kind':
      return old === 'request' ? 'response' : 'request';
    case 'ts':
    case 'size':
      return (old as number) + 1 + (salt % 100);
    case 'duration_ms':
      return old === null ? salt : null;
    case 'body':
      return `${(old as string).slice(0, -1)} }`;
    case 'outcome':
      return `${old as string}x`;
    default:
      return old === null ? `x${salt}` : salt % 2 === 0 ? null : `${old as string}x`;
  }
}
