import Database from 'better-sqlite3';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientTokens } from '../../../src-gateway/store/client-tokens.js';
import { MIGRATIONS, openDatabase } from '../../../src-gateway/store/open-database.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'airlock-store-'));

describe('the store', () => {
  it('creates the schema at the newest version, in WAL mode, readable only by the user', () => {
    const dir = fresh();
    const db = openDatabase(dir);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(statSync(join(dir, 'airlock.db')).mode & 0o077).toBe(0);
    db.close();
  });

  it('keeps its data across reopening', () => {
    const dir = fresh();
    const token = new ClientTokens(openDatabase(dir)).create('cursor');
    expect(new ClientTokens(openDatabase(dir)).clientFor(token)).toBe('cursor');
  });

  it('refuses a database written by a newer version', () => {
    const dir = fresh();
    openDatabase(dir).close();
    const raw = new Database(join(dir, 'airlock.db'));
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(dir)).toThrow(/newer Airlock/);
  });

  it('stores only a hash of each token', () => {
    const dir = fresh();
    const db = openDatabase(dir);
    const token = new ClientTokens(db).create('vscode');
    const rows = db.prepare('SELECT * FROM clients').all();
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});
