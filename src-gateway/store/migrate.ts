import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Work SQL cannot do (hashing), run after `sql` in the same transaction. */
  up?: (db: Database.Database) => void;
}

/**
 * Brings the database to the newest schema. Each migration runs in its own transaction together
 * with the bump of `user_version`, so a crash leaves the schema at a version that really exists.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`the database was written by a newer Airlock (schema ${current}, this one knows ${newest})`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.up?.(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
