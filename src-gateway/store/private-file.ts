import { chmodSync, createWriteStream, type WriteStream, writeFileSync } from 'node:fs';

/** Owner read/write only: tokens and runtime details are for the user who runs Airlock. */
const PRIVATE_FILE_MODE = 0o600;

/**
 * Writes a file only its owner can read. `writeFileSync`'s `mode` applies only when it creates the
 * file, so a file left with looser permissions (another tool, an older version, a copy) is tightened
 * too, before the new content is written into it.
 */
export function writePrivateFile(path: string, content: string): void {
  tightenIfPresent(path);
  writeFileSync(path, content, { mode: PRIVATE_FILE_MODE });
  chmodSync(path, PRIVATE_FILE_MODE);
}

/** A write stream to a file only its owner can read (an export of recorded sessions), tightened like `writePrivateFile`. */
export function createPrivateWriteStream(path: string): WriteStream {
  tightenIfPresent(path);
  return createWriteStream(path, { mode: PRIVATE_FILE_MODE });
}

function tightenIfPresent(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
