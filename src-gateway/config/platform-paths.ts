import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * Where Airlock keeps its database and tokens, following each platform's convention:
 * XDG on Linux, Application Support on macOS, %APPDATA% on Windows. `AIRLOCK_DATA_DIR` overrides.
 */
export function defaultDataDir(env: Env = process.env, platform = process.platform): string {
  if (env.AIRLOCK_DATA_DIR) return env.AIRLOCK_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Airlock');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Airlock');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'airlock');
}

/** Where a user's own config file is looked for when `--config` is not given. */
export function defaultConfigDir(env: Env = process.env, platform = process.platform): string {
  if (env.AIRLOCK_CONFIG_DIR) return env.AIRLOCK_CONFIG_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Airlock');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Airlock');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'airlock');
}
