import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Files Airlock creates hold tokens, rules or policy: only the user may read them. */
const NEW_FILE_MODE = 0o600;

/**
 * Replaces `file` so that readers see the old or the new content, never half, and a crash leaves
 * one or the other whole: a temp file beside it (same file system), flushed, then renamed over.
 * The file gets `mode` when given; otherwise an existing file keeps its own (a user's config file)
 * and a new one is user-only. The folder is created if missing; the temp file never outlives a failure.
 */
export function writeFileAtomically(file: string, data: string | Buffer, mode?: number): void {
  const finalMode = mode ?? (existsSync(file) ? statSync(file).mode & 0o7777 : NEW_FILE_MODE);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data, { mode: finalMode, flush: true, flag: 'wx' });
    chmodSync(temp, finalMode); // the umask applied at creation
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
