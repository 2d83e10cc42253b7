import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const BACKUP_MARK = '.airlock-backup-';

/** A new config file holds a bearer token: only the user may read it. */
const NEW_FILE_MODE = 0o600;

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

/**
 * Replaces `file` so that readers see the old or the new content, never half: a temp file beside
 * it with the old file's mode (0600 for a new one), then rename. The folder is created if missing.
 */
export function writeFileAtomically(file: string, data: string | Buffer): void {
  const mode = existsSync(file) ? statSync(file).mode & 0o7777 : NEW_FILE_MODE;
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data, { mode, flush: true });
    chmodSync(temp, mode); // the umask applied at creation; the old file's mode is what is kept
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
