import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const TOOLS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'];
/** The login keyring's password inside the throwaway HOME. */
const KEYRING_PASSWORD = 'airlock-test-keyring';
const LOGIN_COLLECTION = '/org/freedesktop/secrets/collection/login';

export interface KeyringSession {
  /** For child processes (the gateway, the CLI): a private session bus, its Secret Service, a throwaway HOME. */
  env: Record<string, string>;
  /** Locks the login keyring over D-Bus, as a screen lock or idle timeout does: reading it then needs it unlocked. */
  lock(): Promise<void>;
  /** With `silentPrompter`: an unlock prompt is up, waiting for its answer. */
  promptShown(): boolean;
  /** With `silentPrompter`: closes the prompt unanswered, as a person pressing Cancel; the read waiting on it fails. */
  dismissPrompt(): void;
  stop(): Promise<void>;
}

export interface KeyringSessionOptions {
  /**
   * Unlock prompts go to a stand-in for the desktop's prompter that never answers, as a person away
   * from the screen: a read of the locked keyring then waits until `dismissPrompt()` (or until
   * gnome-keyring gives up on the prompter, after 25 s). Without it, no prompter can start here and
   * a read of the locked keyring fails at once ("unlock prompt was dismissed").
   */
  silentPrompter?: boolean;
}

/**
 * True when the Secret Service tests cannot run here, after saying why; in CI (which installs the
 * tools, see .ci/run) a missing tool throws instead, so the tests fail rather than skip.
 * `@napi-rs/keyring` in the test process would use the test process's own environment, so keychain
 * work happens in child processes started with `KeyringSession.env`.
 */
export function keyringMissing(): boolean {
  let reason: string | undefined;
  if (process.platform !== 'linux') reason = 'the Secret Service tests run on Linux only';
  else {
    const missing = TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
    if (missing.length) reason = `${missing.join(', ')} not installed (apt-get install dbus gnome-keyring)`;
    if (reason && process.env.CI) throw new Error(`the keychain tests cannot run in CI: ${reason}`);
  }
  if (reason) console.warn(`skipping the OS keychain tests: ${reason}`);
  return reason !== undefined;
}

/**
 * Starts a private D-Bus session bus and an unlocked gnome-keyring on it, with HOME and the XDG
 * dirs in a temporary directory, so tests never see the developer's own keychain. `stop()` kills
 * both daemons and removes the directory.
 */
export async function startKeyringSession({ silentPrompter = false }: KeyringSessionOptions = {}): Promise<KeyringSession> {
  const home = mkdtempSync(join(tmpdir(), 'airlock-keyring-'));
  const prompterPid = join(home, 'prompter.pid');
  const env: Record<string, string> = {
    HOME: home,
    XDG_RUNTIME_DIR: join(home, 'run'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    // The tests' gateways default to env-only secrets (gateway-process.ts); these want the keychain.
    AIRLOCK_SECRET_STORE: 'keychain',
  };
  mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  if (silentPrompter) installSilentPrompter(env.XDG_DATA_HOME, prompterPid);
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env };
  const children: ChildProcess[] = [];
  const dismissPrompt = () => {
    if (!existsSync(prompterPid)) return;
    const pid = Number(readFileSync(prompterPid, 'utf8'));
    rmSync(prompterPid);
    try {
      if (Number.isInteger(pid) && pid > 1) process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  const stop = async () => {
    // The bus does not end the services it started: the prompter would outlive the test.
    dismissPrompt();
    await Promise.all(children.reverse().map(stopChild));
    rmSync(home, { recursive: true, force: true });
  };
  try {
    // --nofork keeps the bus our child, so stop() can end it; it prints its address when ready.
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { env: base, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(bus);
    const first = await createInterface({ input: bus.stdout! })[Symbol.asyncIterator]().next();
    if (first.done || !first.value) throw new Error('dbus-daemon printed no address');
    env.DBUS_SESSION_BUS_ADDRESS = String(first.value).trim();

    // The login keyring is created, and unlocked, with the password read from stdin.
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env: { ...base, DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(keyring);
    keyring.stdin!.end(KEYRING_PASSWORD);
    await waitForSecretService({ ...base, DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS }, keyring);
  } catch (error) {
    await stop();
    throw error;
  }
  const lock = async () => {
    await execFileAsync(
      'dbus-send',
      ['--session', '--print-reply', '--dest=org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service.Lock', `array:objpath:${LOGIN_COLLECTION}`],
      { env: { ...base, DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS } },
    );
  };
  return { env, lock, promptShown: () => existsSync(prompterPid), dismissPrompt, stop };
}

/**
 * gnome-keyring asks `org.gnome.keyring.SystemPrompter` to show an unlock prompt, started by the bus
 * on demand; the session bus looks in `$XDG_DATA_HOME/dbus-1/services` first. This one notes its
 * pid (the prompt is up) and waits without ever taking its bus name or answering.
 */
function installSilentPrompter(dataHome: string, pidFile: string): void {
  const services = join(dataHome, 'dbus-1', 'services');
  mkdirSync(services, { recursive: true });
  const script = join(dataHome, 'silent-prompter');
  // Written whole (renamed into place), so a reader never sees half a pid.
  writeFileSync(script, `#!/bin/sh\necho $$ > '${pidFile}.new' && mv '${pidFile}.new' '${pidFile}'\nexec sleep 3600\n`, { mode: 0o700 });
  writeFileSync(join(services, 'org.gnome.keyring.SystemPrompter.service'), `[D-BUS Service]\nName=org.gnome.keyring.SystemPrompter\nExec=${script}\n`);
}

/** The Secret Service is up once its name is owned on the bus (the daemon does not say so itself). */
async function waitForSecretService(env: Record<string, string>, keyring: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (keyring.exitCode !== null) throw new Error(`gnome-keyring-daemon exited with ${keyring.exitCode}`);
    const { stdout } = await execFileAsync(
      'dbus-send',
      ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'],
      { env },
    );
    if (stdout.includes('boolean true')) return;
    if (Date.now() > deadline) throw new Error('gnome-keyring-daemon did not offer the Secret Service in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}
