import { userInfo } from 'node:os';

/** The name of the OS user the gateway runs as, recorded as who decided through a local channel. */
export function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the decision is still recorded, with the channel.
    return 'unknown';
  }
}
