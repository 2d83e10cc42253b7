import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageLog } from '../../src-gateway/store/message-log.js';
import { DATABASE_FILE, openDatabase } from '../../src-gateway/store/open-database.js';
import { runCli } from '../helpers/gateway-process.js';

describe('airlock audit verify', () => {
  let dataDir: string;
  const verify = (...args: string[]) => runCli(['audit', 'verify', '--data-dir', dataDir, ...args]);
  const tamper = (sql: string, ...params: unknown[]) => {
    const db = new Database(join(dataDir, DATABASE_FILE));
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'airlock-audit-cli-'));
    const db = openDatabase(dataDir);
    const log = new MessageLog(db);
    for (const id of ['aaaa-session', 'bbbb-session']) {
      log.startSession({ id, server: 'demo', client: 'test', startedAt: 1 });
      for (let n = 1; n <= 5; n++) {
        const body = JSON.stringify({ jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: 'echo' } });
        log.append({ sessionId: id, ts: n, direction: 'to-server', kind: 'request', rpcId: String(n), method: 'tools/call', tool: 'echo', size: body.length, outcome: 'forwarded', body });
      }
    }
    db.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says the chain is intact, with what it checked, and exits 0', async () => {
    const result = await verify();
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('audit chain intact: 2 sessions, 10 messages verified, 0 recorded before the chain existed (unchained, not checked), 2 session ledger links verified');
    expect(JSON.parse((await verify('--session', 'bbbb', '--json')).stdout)).toEqual({
      ok: true, sessions: 1, verified: 5, unchained: 0, problems: [], ledger: { verified: 1, head: null, problems: [] },
    });
  });

  it('names the edited message and exits 1; another session still verifies', async () => {
    tamper("UPDATE messages SET body = replace(body, 'echo', 'rm') WHERE session_id = 'aaaa-session' AND rpc_id = '3'");
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/audit chain BROKEN: 1 problems/);
    expect(result.stdout).toMatch(/session aaaa-session message 3 does not match its hash/);
    expect((await verify('--session', 'bbbb')).code).toBe(0);
  });

  it('notices a message deleted from the end of a session', async () => {
    tamper("DELETE FROM messages WHERE id = (SELECT max(id) FROM messages WHERE session_id = 'bbbb-session')");
    const result = await verify('--session', 'bbbb-session');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/session bbbb-session ends at a different message than recorded/);
  });

  it('refuses unknown actions and sessions as usage errors', async () => {
    expect((await runCli(['audit', 'check', '--data-dir', dataDir])).code).toBe(2);
    expect((await verify('--session', 'zzzz')).code).toBe(2);
  });
});

describe('airlock audit verify and the session ledger', () => {
  let dataDir: string;
  const verify = (...args: string[]) => runCli(['audit', 'verify', '--data-dir', dataDir, ...args]);
  /** Records sessions the way the gateway does, into a fresh store when the old one is gone. */
  const record = (ids: string[]) => {
    const db = openDatabase(dataDir);
    try {
      const log = new MessageLog(db);
      for (const id of ids) {
        log.startSession({ id, server: 'demo', client: 'test', startedAt: 1 });
        const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo' } });
        log.append({ sessionId: id, ts: 1, direction: 'to-server', kind: 'request', rpcId: '1', method: 'tools/call', tool: 'echo', size: body.length, outcome: 'forwarded', body });
      }
    } finally {
      db.close();
    }
  };
  const headOf = (stdout: string) => /ledger head \(keep it elsewhere, check it with --anchor\): (\d+:[0-9a-f]{64})\n/.exec(stdout)?.[1];

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'airlock-audit-ledger-'));
    record(['s1', 's2', 's3']);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the ledger head, which then holds as an anchor until the store is rewritten from scratch', async () => {
    const first = await verify();
    expect(first.code).toBe(0);
    const anchor = headOf(first.stdout);
    expect(anchor).toMatch(/^3:/);
    expect(await verify('--anchor', anchor!)).toMatchObject({ code: 0, stderr: '' });

    // More sessions later: the old anchor still holds, and the head moves on.
    record(['s4']);
    const later = await verify('--anchor', anchor!);
    expect(later.code).toBe(0);
    expect(headOf(later.stdout)).toMatch(/^4:/);

    // Everything deleted and recorded again by the real writer: a chain that verifies on its own.
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, DATABASE_FILE + suffix), { force: true });
    record(['t1', 't2', 't3', 't4']);
    expect((await verify()).code).toBe(0);
    const rewritten = await verify('--anchor', anchor!);
    expect(rewritten.code).toBe(1);
    expect(rewritten.stdout).toMatch(/session ledger link 3 \(session t3\) is not the anchor given: the ledger was rewritten up to there/);
  });

  it('names a session deleted whole and exits 1', async () => {
    const db = new Database(join(dataDir, DATABASE_FILE));
    try {
      db.pragma('foreign_keys = OFF');
      db.exec("DELETE FROM messages WHERE session_id = 't2'; DELETE FROM sessions WHERE id = 't2'; DELETE FROM session_ledger WHERE session_id = 't2'");
    } finally {
      db.close();
    }
    const result = await verify();
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/session ledger link 2 is missing: whole sessions were deleted, with their links/);
    expect(result.stdout).not.toMatch(/ledger head/);
  });

  it('refuses an anchor that is not SEQ:HASH as a usage error', async () => {
    expect((await verify('--anchor', '3')).code).toBe(2);
    expect((await verify('--anchor', '3:abc')).code).toBe(2);
  });
});
