import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const BACKUP_MARK = '.airlock-backup-';

/**
 * Copies `file` to `<file>.airlock-backup-<timestamp>` (mode kept) and returns its path. The
 * timestamp sorts by time; a second backup in the same millisecond gets a suffix.
 */
export function backupFile(file: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let backup = `${file}${BACKUP_MARK}${stamp}`;
  for (let n = 1; existsSync(backup); n++) backup = `${file}${BACKUP_MARK}${stamp}-${n}`;
  copyFileSync(file, backup);
  return backup;
}

/** The newest backup of `file`, if any. */
export function latestBackup(file: string): string | undefined {
  const dir = dirname(file);
  if (!existsSync(dir)) return undefined;
  const prefix = basename(file) + BACKUP_MARK;
  // ISO timestamps sort as text; the same-millisecond suffix sorts after its base.
  const names = readdirSync(dir).filter((name) => name.startsWith(prefix)).sort();
  return names.length ? join(dir, names[names.length - 1]) : undefined;
}

