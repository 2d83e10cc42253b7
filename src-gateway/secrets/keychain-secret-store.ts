import { AsyncEntry, Entry, findCredentials, type EntryOptions } from '@napi-rs/keyring';
import { SecretStoreError, type SecretStore } from './secret-store.js';

/** Every Airlock secret is an entry of this service; the secret's name is the account. */
const SERVICE = 'airlock';

const DESCRIPTIONS: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'the macOS Keychain',
  win32: 'the Windows Credential Manager',
};

/** Platform failures, by the words the Secret Service and D-Bus libraries use, as what a person can do about them. */
const DIAGNOSES: Array<[RegExp, string]> = [
  [
    /DBUS_SESSION_BUS_ADDRESS|Failed to connect|autolaunch|ServiceUnknown|not provided by any \.service files/i,
    'no OS keychain is available (Secret Service not running?). Start one such as gnome-keyring, or keep secrets in an encrypted file with AIRLOCK_SECRET_STORE=file and AIRLOCK_SECRET_FILE_KEY',
  ],
  [/locked|unlock prompt was dismissed/i, 'the keychain is locked. Unlock it (log in to the desktop session, or unlock the "login" keyring) and try again'],
  [/no result found/i, 'the keychain has no default collection to store secrets in. Create or unlock the "login" keyring and try again'],
];

/**
 * Pinned to the Secret Service on Linux: the binding would otherwise fall back silently to the
 * kernel keyring, which forgets everything at reboot. Other platforms ignore the option.
 */
const PINNED: EntryOptions = { linux: { store: 'secret-service' } };

/**
 * The OS credential store through `@napi-rs/keyring`: the macOS Keychain, the Windows Credential
 * Manager, or the Secret Service (gnome-keyring, KWallet…) over D-Bus on Linux. Nothing is touched
 * until the first call, so a gateway starts on machines without a keychain.
 */
export function createKeychainSecretStore(platform: NodeJS.Platform = process.platform): SecretStore {
  const description = DESCRIPTIONS[platform] ?? 'the Secret Service keychain';

  /** A platform failure as a `SecretStoreError` saying what to do, never carrying `value`. */
  function diagnosed(what: string, error: unknown, value?: string): SecretStoreError {
    let detail = error instanceof Error ? error.message : String(error);
    if (value) detail = detail.split(value).join('…');
    const diagnosis = DIAGNOSES.find(([pattern]) => pattern.test(detail))?.[1];
    return new SecretStoreError(`could not ${what} ${description}: ${diagnosis ?? detail}`);
  }

  /** Runs one synchronous platform call. */
  function call<T>(what: string, run: () => T, value?: string): T {
    try {
      return run();
    } catch (error) {
      throw diagnosed(what, error, value);
    }
  }

  /**
   * `AsyncEntry` reads, and waits for an unlock prompt, on a libuv worker thread; only its
   * constructor talks to the Secret Service on the loop (a few ms; the binding gives up after 2 s
   * if the service does not answer at all). Reads in flight are shared by name: sessions opening
   * together behind one prompt make one read, so one prompt and one of libuv's four threads.
   */
  const reading = new Map<string, Promise<string | undefined>>();
  function readAsync(name: string): Promise<string | undefined> {
    let read = reading.get(name);
    if (!read) {
      read = Promise.resolve()
        .then(() => new AsyncEntry(SERVICE, name, PINNED).getPassword())
        .then(
          (value) => value ?? undefined,
          (error: unknown) => {
            throw diagnosed('read from', error);
          },
        )
        .finally(() => reading.delete(name));
      reading.set(name, read);
    }
    return read;
  }

  const entry = (name: string) => new Entry(SERVICE, name, PINNED);

  return {
    kind: 'keychain',
    description,
    get: (name) => call('read from', () => entry(name).getPassword()) ?? undefined,
    getAsync: readAsync,
    set: (name, value) => call('write to', () => entry(name).setPassword(value), value),
    delete: (name) => call('delete from', () => entry(name).deleteCredential()),
    list: () => call('list', () => findCredentials(SERVICE)).map((credential) => credential.account).sort(),
  };
}
