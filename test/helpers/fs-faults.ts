import { execFileSync } from 'node:child_process';
import { chownSync, closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIRLOCK_BIN, REPO } from './gateway-process.js';

// Real file-system faults for the store, ones that bite root too. A read-only remount of the data
// dir cannot be one: Linux refuses to remount read-only (EBUSY) a mount with files open for
// writing, and the gateway always holds its store open. The immutable flag (chattr +i) is a true
// mid-run read-only file: ext4 refuses writes through fds that are already open (EPERM), for root
// as well, and on a directory it refuses creating, removing and renaming entries.

/** Sets or clears the immutable flag on files or directories (needs CAP_LINUX_IMMUTABLE and ext4/xfs/btrfs). */
export function setImmutable(paths: string[], on: boolean): void {
  if (paths.length > 0) execFileSync('chattr', [on ? '+i' : '-i', ...paths]);
}

/** Clears the immutable flag on a whole tree, so it can be removed; never throws. */
export function clearImmutable(dir: string): void {
  try {
    execFileSync('chattr', ['-R', '-i', dir], { stdio: 'ignore' });
  } catch {
    // Not there, or never marked.
  }
}

/** Whether writes through an already-open fd really fail once the file is made immutable here. */
export const immutableBites: boolean = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-chattr-'));
  const file = join(dir, 'probe');
  const fd = openSync(file, 'a');
  try {
    setImmutable([file], true);
    try {
      writeSync(fd, 'x');
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    } finally {
      setImmutable([file], false);
    }
  } catch {
    return false;
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
})();

/** The unprivileged user the permission tests run the gateway as, when the tests run as root. */
export const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/**
 * A launcher prefix that runs a command as a user file modes apply to: `setpriv` to nobody when
 * the tests run as root, nothing otherwise. Undefined when neither works here (no setpriv, or the
 * repo not readable by nobody), found by running the airlock CLI that way once.
 */
export const unprivilegedLauncher: string[] | undefined = (() => {
  if (!isRoot) return [];
  const launcher = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
  try {
    execFileSync(launcher[0], [...launcher.slice(1), process.execPath, AIRLOCK_BIN, '--version'], { cwd: REPO, stdio: 'ignore' });
    return launcher;
  } catch {
    return undefined;
  }
})();

/** Makes a dir the test process created (mkdtemp: root-owned 0700) the unprivileged user's. */
export function giveToUnprivileged(dir: string): void {
  if (isRoot) chownSync(dir, NOBODY, NOBODY);
}
