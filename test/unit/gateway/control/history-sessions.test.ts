import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionsQuerySchema, type SessionsQuery } from '../../../../src-gateway/control/contract.js';
import { migrate } from '../../../../src-gateway/store/migrate.js';
import { MIGRATIONS, openDatabase } from '../../../../src-gateway/store/open-database.js';
import { SearchIndex, startSearchIndexing } from '../../../../src-gateway/store/search-index.js';
import { toMatchQuery } from '../../../../src-gateway/store/search-query.js';
import { decodeCursor, encodeCursor, SessionQueries } from '../../../../src-gateway/store/session-queries.js';
import { freshStore } from './history-store.js';

const query = (input: Record<string, string> = {}): SessionsQuery => SessionsQuerySchema.parse(input);

function listAll(sessions: SessionQueries, input: Record<string, string>) {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = sessions.list(query({ ...input, ...(cursor ? { cursor } : {}) }));
    if (!page.ok) throw new Error(page.message);
    ids.push(...page.items.map((item) => item.id));
    pageSizes.push(page.items.length);
    if (page.nextCursor === null) return { ids, pageSizes };
    cursor = page.nextCursor;
  }
  throw new Error('paging did not end');
}

describe('the sessions query', () => {
  it('applies the default page size and turns query-string numbers into numbers', () => {
    expect(query()).toEqual({ limit: 50 });
    expect(query({ from: '10', to: '20', limit: '5' })).toEqual({ from: 10, to: 20, limit: 5 });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ from: '-1' }, 'from'],
    [{ to: '1.5' }, 'to'],
    [{ decision: 'maybe' }, 'decision'],
    [{ q: '' }, 'q'],
    [{ q: 'x'.repeat(201) }, 'q'],
    [{ cursor: '' }, 'cursor'],
    [{ server: '' }, 'server'],
  ])('refuses %j, naming the field', (input, field) => {
    const parsed = SessionsQuerySchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0].path).toEqual([field]);
  });

  it('refuses a parameter it does not know rather than ignoring it', () => {
    const parsed = SessionsQuerySchema.safeParse({ sort: 'asc' });
    expect(parsed.success).toBe(false);
  });
});

describe('the sessions cursor', () => {
  it('round-trips the position it encodes', () => {
    const cursor = { startedAt: 1_700_000_000_123, id: '3f0c2a9e-5b7d-4c1e-9a62-0d7c1b2e4f58' };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it.each([
    ['not base64url', 'a+b/c=='],
    ['no separator', Buffer.from('12345').toString('base64url')],
    ['no time', Buffer.from(':abc').toString('base64url')],
    ['a time too large to be exact', Buffer.from('99999999999999999:abc').toString('base64url')],
    ['a negative time', Buffer.from('-5:abc').toString('base64url')],
    ['json', Buffer.from('{"startedAt":1}').toString('base64url')],
  ])('rejects %s', (_what, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });

  it('answers a made-up cursor with a message naming it, not an empty page', () => {
    const { db } = freshStore();
    const page = new SessionQueries(db).list(query({ cursor: 'garbage' }));
    expect(page).toEqual({ ok: false, message: expect.stringMatching(/^query\.cursor: /) });
  });
});

describe('listing sessions', () => {
  it('pages through many sessions newest first, each exactly once, ties included', () => {
    const store = freshStore();
    // 123 sessions over 41 distinct start times: three share each millisecond.
    const expected: string[] = [];
    for (let i = 0; i < 123; i++) store.session(`s-${String(i).padStart(3, '0')}`, { startedAt: 10_000 + Math.floor(i / 3) });
    for (let t = 40; t >= 0; t--) for (let k = 2; k >= 0; k--) expected.push(`s-${String(t * 3 + k).padStart(3, '0')}`);
    const sessions = new SessionQueries(store.db);

    const { ids, pageSizes } = listAll(sessions, { limit: '50' });
    expect(pageSizes).toEqual([50, 50, 23]);
    expect(ids).toEqual(expected);

    // A page that ends exactly at the last session says there is nothing more.
    expect(listAll(sessions, { limit: '41' }).pageSizes).toEqual([41, 41, 41]);
    expect(listAll(sessions, { limit: '500' }).pageSizes).toEqual([123]);
  });

  it('pages a filtered list by the same filters', () => {
    const store = freshStore();
    for (let i = 0; i < 30; i++) store.session(`s-${String(i).padStart(2, '0')}`, { startedAt: 1_000 + i, server: i % 3 === 0 ? 'github' : 'probe' });
    const { ids } = listAll(new SessionQueries(store.db), { server: 'github', limit: '4' });
    expect(ids).toEqual(['s-27', 's-24', 's-21', 's-18', 's-15', 's-12', 's-09', 's-06', 's-03', 's-00']);
  });

  it('filters by server, client, start time (inclusive), tool and decision', () => {
    const store = freshStore();
    store.session('a', { startedAt: 100, server: 'github', client: 'cursor' });
    store.session('b', { startedAt: 200, server: 'probe', client: 'claude' });
    store.session('c', { startedAt: 300, server: 'probe', client: 'cursor' });
    store.call('a', 'create_issue');
    store.call('b', 'echo', { outcome: 'denied', decision: 'deny', answer: { outcome: 'denied' } });
    store.call('b', 'whoami', { decision: 'approve' });
    store.call('c', 'echo', { answer: { outcome: 'ok', masked: [{ detector: 'email', count: 1, pointers: ['/result/content/0/text'] }] } });
    store.call('c', 'slow', { answer: { outcome: 'error', kind: 'error' } });
    const sessions = new SessionQueries(store.db);
    const ids = (input: Record<string, string>) => {
      const page = sessions.list(query(input));
      return page.ok ? page.items.map((item) => item.id) : page.message;
    };

    expect(ids({})).toEqual(['c', 'b', 'a']);
    expect(ids({ server: 'probe' })).toEqual(['c', 'b']);
    expect(ids({ client: 'cursor' })).toEqual(['c', 'a']);
    expect(ids({ from: '200', to: '300' })).toEqual(['c', 'b']);
    expect(ids({ to: '200' })).toEqual(['b', 'a']);
    expect(ids({ tool: 'echo' })).toEqual(['c', 'b']);
    expect(ids({ decision: 'allowed' })).toEqual(['c', 'a']);
    expect(ids({ decision: 'denied' })).toEqual(['b']);
    expect(ids({ decision: 'approved' })).toEqual(['b']);
    expect(ids({ decision: 'masked' })).toEqual(['c']);
    expect(ids({ decision: 'failed' })).toEqual(['c']);
    expect(ids({ server: 'probe', decision: 'denied', client: 'cursor' })).toEqual([]);
  });

  it('counts each session\'s messages, calls, denials and masked messages', () => {
    const store = freshStore();
    store.session('s', { agent: { name: 'Claude Code', version: '2.1' } });
    store.call('s', 'echo');
    store.call('s', 'echo', { outcome: 'denied', decision: 'deny', answer: { outcome: 'denied' } });
    store.call('s', 'echo', { answer: { outcome: 'ok', masked: [{ detector: 'email', count: 2, pointers: ['/a', '/b'] }] } });
    store.call('s', 'slow', { answer: null });
    store.log.endSession('s', 'closed by agent', 9_000);
    expect(new SessionQueries(store.db).get('s')).toEqual({
      id: 's', server: 'probe', client: 'test', agent: 'Claude Code 2.1', protocolVersion: '2025-06-18',
      startedAt: 1_000, endedAt: 9_000, endReason: 'closed by agent', user: null, groups: [],
      messageCount: 7, callCount: 4, deniedCount: 1, maskedCount: 1,
    });
  });

  it('finds a session by a unique prefix of its id, and not by an ambiguous one', () => {
    const store = freshStore();
    store.session('abc-111');
    store.session('abc-222');
    const sessions = new SessionQueries(store.db);
    expect(sessions.get('abc-1')?.id).toBe('abc-111');
    expect(sessions.get('abc')).toBeUndefined();
    expect(sessions.get('%')).toBeUndefined();
    expect(sessions.get('zzz')).toBeUndefined();
  });
});

describe('full-text search over recorded messages', () => {
  function searchable() {
    const store = freshStore();
    store.session('invoice', { startedAt: 1 });
    store.session('weather', { startedAt: 2 });
    store.call('invoice', 'echo', { text: 'Send the invoice to <email_1>\nthen archive it', answer: { outcome: 'ok', text: 'Invoice sent. Café receipts filed' } });
    store.call('weather', 'echo', { text: 'what is the weather in Zürich?' });
    const sessions = new SessionQueries(store.db);
    const search = (q: string) => {
      const page = sessions.list(query({ q }));
      if (!page.ok) throw new Error(page.message);
      return page.items.map((item) => item.id);
    };
    return { store, search };
  }

  it('finds sessions by words in requests and answers, by prefix, across case and accents', () => {
    const { search } = searchable();
    expect(search('invoice')).toEqual(['invoice']);
    expect(search('INVOI')).toEqual(['invoice']);
    expect(search('cafe receipts')).toEqual(['invoice']);
    expect(search('zurich')).toEqual(['weather']);
    expect(search('echo')).toEqual(['weather', 'invoice']);
    expect(search('invoice weather')).toEqual([]);
  });

  it('finds a word that follows a line break in the text', () => {
    expect(searchable().search('then archive')).toEqual(['invoice']);
  });

  it('searches what was recorded, so a masked value is found by its token', () => {
    expect(searchable().search('email_1')).toEqual(['invoice']);
  });

  it.each([
    '"', '""', '"invoice', 'invoice"', '*', 'invoice*', 'NEAR(invoice weather)', 'AND', 'OR NOT', '-invoice', '^invoice',
    'body:invoice', "'); DROP TABLE sessions; --", '(', ')', '{body}: x', 'a\u0000b', '🙂', '  \t ', '\\', 'invoice AND weather',
  ])('treats hostile input %j as plain words, never as query syntax', (q) => {
    const { search, store } = searchable();
    expect(() => search(q)).not.toThrow();
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM sessions').get()).toEqual({ n: 2 });
  });

  it('never fails on random strings of query syntax, quotes, control characters and broken UTF-16', () => {
    const { search } = searchable();
    const alphabet = ['"', "'", '*', '^', '(', ')', ':', '-', '+', 'NEAR', 'AND', 'OR', 'NOT', '\u0000', '\u0007', '\n', ' ', '\ud800', '\udfff', 'é', 'invoice', '{', '}', ',', '.'];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const q = Array.from({ length: 1 + (next() % 12) }, () => alphabet[next() % alphabet.length]).join('');
      expect(() => search(q), JSON.stringify(q)).not.toThrow();
    }
  });

  it('matches nothing for a query of only punctuation', () => {
    const { search } = searchable();
    expect(search('!!! ... ???')).toEqual([]);
    expect(toMatchQuery('!!! ... ???')).toBeUndefined();
  });

  it('quotes every term and doubles quotes inside it', () => {
    expect(toMatchQuery('say "hi" NEAR')).toBe('"say"* """hi"""* "NEAR"*');
  });

  it('indexes the messages recorded before the search index existed', () => {
    const dir = join(freshStore().dir, 'old');
    mkdirSync(dir);
    // A store as the previous version left it: schema 4, messages already recorded.
    const raw = new Database(join(dir, 'airlock.db'));
    migrate(raw, MIGRATIONS.slice(0, 4));
    // Written as that version wrote them: today's MessageLog needs today's schema.
    raw.prepare("INSERT INTO sessions (id, server, client, started_at) VALUES ('old', 'probe', 'test', 1)").run();
    raw.prepare("INSERT INTO messages (session_id, ts, direction, kind, rpc_id, method, tool, size, outcome, body) VALUES ('old', 1, 'to-server', 'request', '1', 'tools/call', 'echo', 1, 'forwarded', ?)").run('{"text":"legacy\\nrecords"}');
    raw.close();

    const reopened = openDatabase(dir);
    try {
      expect(reopened.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      const page = new SessionQueries(reopened).list(query({ q: 'records' }));
      expect(page.ok && page.items.map((item) => item.id)).toEqual(['old']);
    } finally {
      reopened.close();
    }
  });

  it('runs the migrations in order from an empty database', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('messages_fts', 'search_progress', 'messages_ts') ORDER BY name").all()).toHaveLength(3);
    db.close();
  });
});

describe('the search index', () => {
  const progress = (db: Database.Database) => db.prepare('SELECT indexed_through FROM search_progress').pluck().get();

  it('trails the log, catching up in batches within a time budget', () => {
    const store = freshStore();
    store.session('s');
    for (let i = 0; i < 60; i++) store.call('s', 'echo'); // 120 messages
    const index = new SearchIndex(store.db);
    expect(progress(store.db)).toBe(0);
    expect(index.catchUp(0)).toBe(false); // one batch, then out of time
    expect(progress(store.db)).toBe(50);
    expect(index.catchUp()).toBe(true);
    expect(progress(store.db)).toBe(120);
    expect(index.catchUp()).toBe(true);
    expect(store.db.prepare("SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH 'hello'").pluck().get()).toBe(60);
  });

  it('indexes in the background without waiting for a search, until stopped', async () => {
    const store = freshStore();
    store.session('s');
    store.call('s', 'echo');
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const stop = startSearchIndexing(store.db, quiet, { intervalMs: 5 });
    try {
      await expect.poll(() => progress(store.db)).toBe(2);
    } finally {
      stop();
    }
    store.call('s', 'echo');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(progress(store.db)).toBe(2);
  });
});
