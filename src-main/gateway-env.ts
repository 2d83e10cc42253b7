/**
 * The environment the gateway child gets: an allowlist, never `...process.env`, so tokens and keys
 * the desktop session happens to hold (cloud credentials, CI secrets) do not reach the gateway or
 * the MCP servers it starts. Settings meant for Airlock travel as `AIRLOCK_*`.
 */
const NAMES = ['PATH', 'HOME', 'USER', 'LANG', 'TMPDIR', 'TEMP', 'TMP', 'DBUS_SESSION_BUS_ADDRESS'];
const WINDOWS_NAMES = ['SYSTEMROOT', 'APPDATA', 'LOCALAPPDATA', 'USERPROFILE'];
const PREFIXES = ['XDG_', 'AIRLOCK_'];

/** The allowlisted subset of `parent`; names compare case-insensitively on Windows, as the OS does. */
export function gatewayEnv(
  parent: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): Record<string, string> {
  const windows = platform === 'win32';
  const allowed = new Set(windows ? [...NAMES, ...WINDOWS_NAMES] : NAMES);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value === undefined) continue;
    const key = windows ? name.toUpperCase() : name;
    if (allowed.has(key) || PREFIXES.some((prefix) => key.startsWith(prefix))) env[name] = value;
  }
  return env;
}
