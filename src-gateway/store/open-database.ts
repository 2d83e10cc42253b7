import Database from 'better-sqlite3';
import { accessSync, chmodSync, constants, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrate.js';
import { migration001 } from './migrations/001-initial.js';
import { migration002 } from './migrations/002-policy.js';
import { migration003 } from './migrations/003-masking.js';
import { migration004 } from './migrations/004-sealed-originals.js';
import { migration005 } from './migrations/005-search.js';
import { migration006 } from './migrations/006-message-time.js';
import { migration007 } from './migrations/007-session-identity.js';
import { migration008 } from './migrations/008-outbox.js';
import { migration009 } from './migrations/009-audit-chain.js';
import { migration011 } from './migrations/011-approval-binding.js';
import { migration012 } from './migrations/012-session-ledger.js';

/** Every migration, oldest first. Add new ones at the end as `NNN-name.ts`. */
export const MIGRATIONS = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration011, migration012] as const;

export const DATABASE_FILE = 'airlock.db';

/**
 * Opens (creating if needed) the store in `dataDir`. WAL lets the CLI read history while the
 * gateway writes; `synchronous = NORMAL` in WAL mode survives process crashes (a commit is in the
 * OS once `run()` returns) and trades only the last commits on power loss for speed: FULL would
 * fsync the WAL on every commit, i.e. twice per call on the path of every call. Crash survival is
 * what test/integration/store/crash-durability.test.ts proves (kill -9 under load: no acknowledged
 * record lost, `integrity_check` ok); an OS crash or power cut can lose the newest commits whole:
 * a message, its chain link and its session's head commit together, so the chain still verifies.
 */
export function openDatabase(dataDir: string, options: { readonly?: boolean; maxBytes?: number } = {}): Database.Database {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, DATABASE_FILE);
  if (!options.readonly) assertWritable(dataDir, path);
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    // Before WAL mode: SQLite gives the -wal and -shm files (which hold recent records) the
    // database file's permissions, so they are created owner-only too; leftovers are tightened.
    for (const file of [path, `${path}-wal`, `${path}-shm`]) if (file === path || existsSync(file)) chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS);
    // Per connection, so set on each open; SQLite never sets it below the pages already in use.
    if (options.maxBytes) db.pragma(`max_page_count = ${Math.ceil(options.maxBytes / (db.pragma('page_size', { simple: true }) as number))}`);
  }
  return db;
}

/**
 * Fails fast, naming the path, when the store cannot be written. Otherwise SQLite quietly opens a
 * read-only file read-only (openDatabase's chmod then even makes it 0600, the connection staying
 * read-only), and the gateway starts but refuses every call, or spools every record, with no word
 * at start; an unwritable dir takes no spool. access() honours file modes, read-only mounts and
 * the immutable flag, for root too (test/integration/gateway/audit-file-faults.test.ts).
 */
function assertWritable(dataDir: string, path: string): void {
  const targets: Array<[string, string]> = [['the data directory', dataDir], ...[path, `${path}-wal`, `${path}-shm`].map((file): [string, string] => ['the audit store', file])];
  for (const [what, target] of targets) {
    try {
      accessSync(target, constants.R_OK | constants.W_OK | (target === dataDir ? constants.X_OK : 0));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      throw new Error(`${what} ${target} is not writable (${code}): Airlock records every call there before forwarding it, so it does not start. Fix its permissions, or choose another directory with --data-dir.`);
    }
  }
}
