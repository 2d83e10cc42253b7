import Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genesisHash, LEDGER_START, ledgerHash, type ChainSession } from '../../../../src-gateway/store/audit-chain.js';
import { verifyAuditChain } from '../../../../src-gateway/store/audit-verify.js';
import { migrate } from '../../../../src-gateway/store/migrate.js';
import { MessageLog } from '../../../../src-gateway/store/message-log.js';
import { DATABASE_FILE, MIGRATIONS, openDatabase } from '../../../../src-gateway/store/open-database.js';

const SESSIONS = 7;
/** This one records nothing: deleting it is invisible to every message chain. */
const EMPTY_SESSION = 4;
const TAMPERINGS = 1000;

describe('the session ledger', () => {
  let dir: string;
  let db: Database.Database;
  const sessionIds = Array.from({ length: SESSIONS }, (_, i) => `session-${i}`);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-ledger-'));
    const file = openDatabase(dir);
    const log = new MessageLog(file, {}, { outbox: true });
    sessionIds.forEach((id, i) => {
      log.startSession({ id, server: `server-${i % 3}`, client: 'test', startedAt: 1_700_000_000_000 + i, user: i === 1 ? { id: 'u1', name: 'Ada' } : undefined });
      if (i === EMPTY_SESSION) return;
      for (let n = 1; n <= 3; n++) {
        const body = JSON.stringify({ jsonrpc: '2.0', id: n, result: { text: `reply ${n} in ${id}` } });
        log.append({ sessionId: id, ts: n, direction: 'to-agent', kind: 'response', rpcId: String(n), size: body.length, outcome: 'ok', body, maskEvents: [{ detector: 'email', count: 1, pointers: ['/result/text'] }] });
      }
    });
    // Tampered with in memory, foreign keys off, as with `sqlite3` on a copy of the file.
    file.pragma('journal_mode = DELETE');
    db = new Database(file.serialize());
    db.pragma('foreign_keys = OFF');
    file.close();
  });
  afterAll(() => {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `change` on the store, returns the report, and puts the store back. */
  const verifyAfter = (change: () => void, options: Parameters<typeof verifyAuditChain>[1] = {}) => {
    db.exec('SAVEPOINT tamper');
    try {
      change();
      return verifyAuditChain(db, options);
    } finally {
      db.exec('ROLLBACK TO tamper; RELEASE tamper');
    }
  };

  it('links every session in the order they started and reports the head', () => {
    const report = verifyAuditChain(db);
    const last = db.prepare('SELECT seq, hash FROM session_ledger ORDER BY seq DESC LIMIT 1').get();
    expect(report).toMatchObject({ ok: true, sessions: SESSIONS, problems: [], ledger: { verified: SESSIONS, head: last, problems: [] } });
    expect(db.prepare('SELECT session_id FROM session_ledger ORDER BY seq').pluck().all()).toEqual(sessionIds);
  });

  it('detects every random whole-session deletion, insertion, and ledger edit or reorder', () => {
    const tried: Record<string, number> = {};
    const detected: Record<string, number> = {};
    const tamperings = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete-session' as const), session: fc.nat({ max: SESSIONS - 1 }), keep: fc.constantFrom('nothing', 'link', 'session-row', 'messages') as fc.Arbitrary<Keep> }) },
      fc.record({ kind: fc.constant('insert-session' as const), at: fc.integer({ min: 1, max: SESSIONS }), linked: fc.boolean() }),
      fc.record({ kind: fc.constant('edit-link' as const), link: fc.integer({ min: 1, max: SESSIONS }), column: fc.constantFrom('seq', 'session_id', 'hash') as fc.Arbitrary<LinkColumn>, salt: fc.nat({ max: 63 }) }),
      fc.record({ kind: fc.constant('reorder-links' as const), link: fc.integer({ min: 1, max: SESSIONS }), other: fc.integer({ min: 1, max: SESSIONS }), by: fc.constantFrom('session', 'seq') as fc.Arbitrary<'session' | 'seq'> }),
      fc.record({ kind: fc.constant('delete-link' as const), link: fc.integer({ min: 1, max: SESSIONS }) }),
    );
    fc.assert(
      fc.property(tamperings, (t) => {
        let label: string | undefined;
        const report = verifyAfter(() => {
          label = tamper(db, t);
        });
        if (label === undefined) return; // nothing to do (a link swapped with itself)
        tried[label] = (tried[label] ?? 0) + 1;
        if (!report.ok) detected[label] = (detected[label] ?? 0) + 1;
        expect(report.ok, `undetected: ${JSON.stringify(t)}`).toBe(false);
        // Every one of these is the ledger's to find; a whole session gone, link and all, is only its.
        expect(report.ledger?.problems.length, `not seen by the ledger: ${JSON.stringify(t)}`).toBeGreaterThan(0);
        if (t.kind === 'delete-session' && (t.keep === 'nothing' || t.keep === 'link')) expect(report.problems).toEqual([]);
      }),
      { numRuns: TAMPERINGS, seed: 20251125 },
    );
    const total = Object.values(tried).reduce((a, b) => a + b, 0);
    console.log(`session ledger: ${total} tamperings, ${Object.values(detected).reduce((a, b) => a + b, 0)} detected`, tried);
    expect(total).toBeGreaterThan(TAMPERINGS * 0.9);
    for (const position of ['first', 'middle', 'last']) expect(tried[`delete ${position} session, keep nothing`]).toBeGreaterThan(0);
    expect(verifyAuditChain(db).ok).toBe(true);
  }, 120_000);

  it('names sessions deleted whole: a gap in the middle, a truncation at the end', () => {
    const middle = verifyAfter(() => tamper(db, { kind: 'delete-session', session: 2, keep: 'nothing' }));
    expect(middle.problems).toEqual([]);
    expect(middle.ledger?.problems).toEqual([
      { kind: 'gap', seq: 3, sessionId: null, count: 1 },
      { kind: 'broken-link', seq: 4, sessionId: 'session-3' },
    ]);
    const last = verifyAfter(() => {
      tamper(db, { kind: 'delete-session', session: SESSIONS - 1, keep: 'nothing' });
      tamper(db, { kind: 'delete-session', session: SESSIONS - 2, keep: 'nothing' });
    });
    expect(last.ledger?.problems).toEqual([{ kind: 'truncated', seq: SESSIONS - 1, sessionId: null, count: 2 }]);
    const orphaned = verifyAfter(() => tamper(db, { kind: 'delete-session', session: EMPTY_SESSION, keep: 'link' }));
    expect(orphaned.ledger?.problems).toEqual([{ kind: 'orphan-link', seq: EMPTY_SESSION + 1, sessionId: `session-${EMPTY_SESSION}` }]);
  });

  it('points at both sessions of a swap, and at a session added without a link', () => {
    const swapped = verifyAfter(() => tamper(db, { kind: 'reorder-links', link: 2, other: 5, by: 'session' }));
    expect(swapped.ledger?.problems).toEqual([
      { kind: 'broken-link', seq: 2, sessionId: 'session-4' },
      { kind: 'broken-link', seq: 5, sessionId: 'session-1' },
    ]);
    const added = verifyAfter(() => tamper(db, { kind: 'insert-session', at: 1, linked: false }));
    expect(added.ledger?.problems).toEqual([{ kind: 'unlinked-session', seq: null, sessionId: 'forged-1' }]);
  });

  it("checks one session's link when one session is verified", () => {
    expect(verifyAuditChain(db, { sessionId: 'session-3' }).ledger).toEqual({ verified: 1, head: null, problems: [] });
    const report = verifyAfter(() => tamper(db, { kind: 'delete-session', session: 2, keep: 'nothing' }), { sessionId: 'session-3' });
    expect(report.ledger?.problems).toEqual([{ kind: 'gap', seq: 3, sessionId: null }]);
  });

  it('holds an anchor only while the ledger still has that link', () => {
    const head = verifyAuditChain(db).ledger!.head!;
    expect(verifyAuditChain(db, { anchor: head }).ok).toBe(true);
    const older = db.prepare('SELECT seq, hash FROM session_ledger WHERE seq = 3').get() as { seq: number; hash: string };
    expect(verifyAuditChain(db, { anchor: older }).ok).toBe(true);
    expect(verifyAuditChain(db, { anchor: { seq: 3, hash: head.hash } }).ledger?.problems).toEqual([{ kind: 'anchor-mismatch', seq: 3, sessionId: 'session-2' }]);
    expect(verifyAuditChain(db, { anchor: { seq: SESSIONS + 1, hash: head.hash } }).ledger?.problems).toEqual([{ kind: 'anchor-mismatch', seq: SESSIONS + 1, sessionId: null }]);
    // The first sessions rewritten with every hash recomputed: intact on its own, not against the anchor.
    const rewritten = () => {
      const first = db.prepare("SELECT * FROM sessions WHERE id = 'session-0'").get() as ChainSession;
      db.prepare("UPDATE sessions SET server = 'elsewhere' WHERE id = 'session-0'").run();
      relink(db);
      db.prepare("UPDATE sessions SET chain_head = ? WHERE id = 'session-0'").run(genesisHash({ ...first, server: 'elsewhere' }));
      db.prepare("DELETE FROM mask_events WHERE message_id IN (SELECT id FROM messages WHERE session_id = 'session-0')").run();
      db.prepare("DELETE FROM outbox WHERE message_id IN (SELECT id FROM messages WHERE session_id = 'session-0')").run();
      db.prepare("DELETE FROM messages WHERE session_id = 'session-0'").run();
    };
    expect(verifyAfter(rewritten).ok).toBe(true);
    expect(verifyAfter(rewritten, { anchor: older }).ledger?.problems).toEqual([{ kind: 'anchor-mismatch', seq: 3, sessionId: 'session-2' }]);
  });
});

describe('a store recorded before the session ledger existed', () => {
  it('links its sessions in the order they were recorded, so deleting one later is found', () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-ledger-legacy-'));
    try {
      // Schema 011, sessions as the gateway wrote them then (started_at out of order on purpose).
      const raw = new Database(join(dir, DATABASE_FILE));
      migrate(raw, MIGRATIONS.filter((m) => m.version <= 11));
      const insert = raw.prepare("INSERT INTO sessions (id, server, client, started_at) VALUES (?, 'demo', 'test', ?)");
      [['old-a', 30], ['old-b', 10], ['old-c', 20]].forEach(([id, startedAt]) => insert.run(id, startedAt));
      raw.close();

      const db = openDatabase(dir);
      try {
        new MessageLog(db).startSession({ id: 'new', server: 'demo', client: 'test', startedAt: 40 });
        expect(db.prepare('SELECT session_id FROM session_ledger ORDER BY seq').pluck().all()).toEqual(['old-a', 'old-b', 'old-c', 'new']);
        expect(verifyAuditChain(db)).toMatchObject({ ok: true, sessions: 4, ledger: { verified: 4, head: { seq: 4 }, problems: [] } });
        db.pragma('foreign_keys = OFF');
        db.prepare("DELETE FROM sessions WHERE id = 'old-b'").run();
        db.prepare("DELETE FROM session_ledger WHERE session_id = 'old-b'").run();
        expect(verifyAuditChain(db).ledger?.problems).toEqual([
          { kind: 'gap', seq: 2, sessionId: null, count: 1 },
          { kind: 'broken-link', seq: 3, sessionId: 'old-c' },
        ]);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

type Keep = 'nothing' | 'link' | 'session-row' | 'messages';
type LinkColumn = 'seq' | 'session_id' | 'hash';
type Tampering =
  | { kind: 'delete-session'; session: number; keep: Keep }
  | { kind: 'insert-session'; at: number; linked: boolean }
  | { kind: 'edit-link'; link: number; column: LinkColumn; salt: number }
  | { kind: 'reorder-links'; link: number; other: number; by: 'session' | 'seq' }
  | { kind: 'delete-link'; link: number };

/** Applies one tampering the way someone with the file and `sqlite3` could; returns its label. */
function tamper(db: Database.Database, t: Tampering): string | undefined {
  switch (t.kind) {
    case 'delete-session': {
      const id = `session-${t.session}`;
      if (t.keep !== 'messages') {
        for (const table of ['mask_events', 'outbox']) db.prepare(`DELETE FROM ${table} WHERE message_id IN (SELECT id FROM messages WHERE session_id = ?)`).run(id);
        db.prepare('DELETE FROM messages WHERE session_id = ?').run(id);
      }
      if (t.keep !== 'session-row') db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
      if (t.keep !== 'link') db.prepare('DELETE FROM session_ledger WHERE session_id = ?').run(id);
      const position = t.session === 0 ? 'first' : t.session === SESSIONS - 1 ? 'last' : 'middle';
      return `delete ${position} session, keep ${t.keep}`;
    }
    case 'insert-session': {
      // A session that never happened, its identity borrowed from a real one.
      const id = `forged-${t.at}`;
      db.prepare("INSERT INTO sessions (id, server, client, started_at, user_groups) SELECT ?, server, client, started_at + 1, user_groups FROM sessions WHERE id = 'session-0'").run(id);
      const session = db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as ChainSession;
      db.prepare('UPDATE sessions SET chain_head = ? WHERE id = ?').run(genesisHash(session), id);
      if (!t.linked) return 'insert session without a link';
      // Slipped in before link `at`, with a hash that follows correctly from the link before it.
      db.prepare('UPDATE session_ledger SET seq = -(seq + 1) WHERE seq >= ?').run(t.at);
      db.prepare('UPDATE session_ledger SET seq = -seq WHERE seq < 0').run();
      const previous = (db.prepare('SELECT hash FROM session_ledger WHERE seq = ?').pluck().get(t.at - 1) as string | undefined) ?? LEDGER_START;
      db.prepare('INSERT INTO session_ledger (seq, session_id, hash) VALUES (?, ?, ?)').run(t.at, id, ledgerHash(t.at, genesisHash(session), previous));
      return 'insert session with a link';
    }
    case 'edit-link': {
      const value =
        t.column === 'seq' ? SESSIONS + 1 + (t.salt % 5)
        : t.column === 'session_id' ? `forged-${t.salt}`
        : (db.prepare('SELECT hash FROM session_ledger WHERE seq = ?').pluck().get(t.link) as string).replace(/^./, (c) => (c === '0' ? '1' : '0'));
      db.prepare(`UPDATE session_ledger SET ${t.column} = ? WHERE seq = ?`).run(value, t.link);
      return `edit link ${t.column}`;
    }
    case 'reorder-links': {
      if (t.link === t.other) return undefined;
      const column = t.by === 'session' ? 'session_id' : 'seq';
      const a = db.prepare(`SELECT ${column} FROM session_ledger WHERE seq = ?`).pluck().get(t.link);
      const b = db.prepare(`SELECT ${column} FROM session_ledger WHERE seq = ?`).pluck().get(t.other);
      const swap = db.prepare(`UPDATE session_ledger SET ${column} = ? WHERE ${column} = ?`);
      swap.run(-1, a);
      swap.run(a, b);
      swap.run(b, -1);
      return `reorder links by ${t.by}`;
    }
    case 'delete-link':
      db.prepare('DELETE FROM session_ledger WHERE seq = ?').run(t.link);
      return 'delete link';
  }
}

/** Recomputes every link from the sessions as they are now: a rewrite by someone who knows the format. */
function relink(db: Database.Database): void {
  const links = db.prepare('SELECT seq, session_id FROM session_ledger ORDER BY seq').all() as Array<{ seq: number; session_id: string }>;
  const session = db.prepare('SELECT * FROM sessions WHERE id = ?');
  const update = db.prepare('UPDATE session_ledger SET hash = ? WHERE seq = ?');
  let previous = LEDGER_START;
  for (const link of links) {
    previous = ledgerHash(link.seq, genesisHash(session.get(link.session_id) as ChainSession), previous);
    update.run(previous, link.seq);
  }
}
