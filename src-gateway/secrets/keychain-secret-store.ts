import { Entry, findCredentials } from '@napi-rs/keyring';
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
 * The OS credential store through `@napi-rs/keyring`: the macOS Keychain, the Windows Credential
 * Manager, or the Secret Service (gnome-keyring, KWallet…) over D-Bus on Linux. Nothing is touched
 * until the first call, so a gateway starts on machines without a keychain.
 */
export function createKeychainSecretStore(platform: NodeJS.Platform = process.platform): SecretStore {
  const description = DESCRIPTIONS[platform] ?? 'the Secret Service keychain';

  /** Runs one platform call; its failure becomes a `SecretStoreError` that never carries `value`. */
  function call<T>(what: string, run: () => T, value?: string): T {
    try {
      return run();
    } catch (error) {
      let detail = error instanceof Error ? error.message : String(error);
      if (value) detail = detail.split(value).join('…');
      const diagnosis = DIAGNOSES.find(([pattern]) => pattern.test(detail))?.[1];
      throw new SecretStoreError(`could not ${what} ${description}: ${diagnosis ?? detail}`);
    }
  }

  // Pinned to the Secret Service on Linux: the binding would otherwise fall back silently to the
  // kernel keyring, which forgets everything at reboot. Other platforms ignore the option.
  const entry = (name: string) => new Entry(SERVICE, name, { linux: { store: 'secret-service' } });

  return {
    kind: 'keychain',
    description,
    get: (name) => call('read from', () => entry(name).getPassword()) ?? undefined,
    set: (name, value) => call('write to', () => entry(name).setPassword(value), value),
    delete: (name) => call('delete from', () => entry(name).deleteCredential()),
    list: () => call('list', () => findCredentials(SERVICE)).map((credential) => credential.account).sort(),
  };
}
