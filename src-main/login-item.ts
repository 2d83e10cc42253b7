import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether Airlock starts when the user logs in. */
export interface LoginItem {
  get(): boolean;
  set(enabled: boolean): void;
}

/** Quotes one argument of a desktop entry's `Exec` key as the Desktop Entry spec asks. */
function execArgument(value: string): string {
  return `"${value.replace(/(["`$\\])/g, '\\$1')}"`;
}

/**
 * Linux has no login-item API in Electron: an XDG autostart entry
 * (`$XDG_CONFIG_HOME/autostart/airlock.desktop`) does the same for every desktop that follows the spec.
 * `exec` is the app binary (the AppImage when run as one), started with `args`.
 */
export function xdgAutostart(configHome: string, exec: string, args: readonly string[] = []): LoginItem {
  const dir = join(configHome, 'autostart');
  const file = join(dir, 'airlock.desktop');
  return {
    get: () => existsSync(file),
    set(enabled) {
      if (!enabled) {
        rmSync(file, { force: true });
        return;
      }
      mkdirSync(dir, { recursive: true });
      const entry = ['[Desktop Entry]', 'Type=Application', 'Name=Airlock', 'Comment=A local gateway for AI agents', `Exec=${[exec, ...args].map(execArgument).join(' ')}`, 'Terminal=false', 'X-GNOME-Autostart-enabled=true', ''];
      writeFileSync(file, entry.join('\n'));
    },
  };
}
