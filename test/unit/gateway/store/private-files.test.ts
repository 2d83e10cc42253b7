import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src-gateway/store/open-database.js';
import { writePrivateFile } from '../../../../src-gateway/store/private-file.js';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('files only their owner can read', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-modes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a token file with mode 0600', () => {
    writePrivateFile(join(dir, 'control-token'), 'secret\n');
    expect(modeOf(join(dir, 'control-token'))).toBe('600');
  });

  it('tightens a token file left world-readable before writing the new token into it', () => {
    const path = join(dir, 'local-token');
    writeFileSync(path, 'old\n', { mode: 0o644 });
    chmodSync(path, 0o666);
    writePrivateFile(path, 'new\n');
    expect(modeOf(path)).toBe('600');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
  });

  it('gives the database and the WAL and shared-memory files SQLite creates next to it mode 0600', () => {
    openDatabase(dir).close();
    chmodSync(join(dir, 'airlock.db'), 0o644);
    const db = openDatabase(dir);
    db.prepare('INSERT INTO clients (name, token_hash, created_at) VALUES (?, ?, ?)').run('a', 'h', 0);
    for (const name of ['airlock.db', 'airlock.db-wal', 'airlock.db-shm']) expect(`${name} ${modeOf(join(dir, name))}`).toBe(`${name} 600`);
    db.close();
  });

  it('tightens WAL and shared-memory files left readable by an earlier run', () => {
    openDatabase(dir).close();
    for (const name of ['airlock.db-wal', 'airlock.db-shm']) writeFileSync(join(dir, name), '', { mode: 0o644 });
    const db = openDatabase(dir);
    for (const name of ['airlock.db-wal', 'airlock.db-shm']) expect(`${name} ${modeOf(join(dir, name))}`).toBe(`${name} 600`);
    db.close();
  });
});
