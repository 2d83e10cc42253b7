import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeychainSecretStore } from '../../../src-gateway/secrets/keychain-secret-store.js';
import type { ConnectionTestView } from '../../../src-gateway/control/contract.js';
import { control } from '../../helpers/control-client.js';
import { AIRLOCK_BIN, fixtureCommand, REPO, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';
import { keyringMissing, startKeyringSession, type KeyringSession } from '../../helpers/keyring-session.js';

const VALUE = 'sk-live-wait-5be1c9d0-keychain-only';
const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;
const LOCKED_MESSAGE =
  /secret "probe-token" cannot be read: could not read from the Secret Service keychain: the keychain is locked\. Unlock it .*Alternatively, set AIRLOCK_SECRET_PROBE_TOKEN/;

/** `airlock secret set <name>` with the value on stdin. */
function storeSecret(name: string, value: string, env: Record<string, string>): void {
  execFileSync(process.execPath, [AIRLOCK_BIN, 'secret', 'set', name], { cwd: REPO, input: value, env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
}

/**
 * A locked keychain asks a person to unlock it, and the read waits for the answer. The stand-in
 * prompter never answers until told to, so "the gateway keeps working meanwhile" is shown by order
 * of events, not by timing: everything below happens while the prompt is up.
 */
describe.skipIf(keyringMissing())('a keychain read that waits for an unlock prompt (a real Secret Service)', () => {
  let keyring: KeyringSession;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    keyring = await startKeyringSession({ silentPrompter: true });
    storeSecret('probe-token', VALUE, keyring.env);
    gateway = await startGatewayProcess(
      {
        servers: {
          locked: { ...fixtureCommand('probe-server.ts'), env: { PROBE_SECRET: 'keychain:probe-token' } },
          plain: fixtureCommand('probe-server.ts'),
        },
      },
      keyring.env,
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    await keyring?.stop();
  });

  it('reads the same value asynchronously as synchronously from the unlocked keychain', async () => {
    // The binding uses this process's environment: point it at the private bus for this test only.
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = keyring.env.DBUS_SESSION_BUS_ADDRESS;
    try {
      const store = createKeychainSecretStore();
      expect(await store.getAsync('probe-token')).toBe(VALUE);
      expect(store.get('probe-token')).toBe(VALUE);
      expect(await store.getAsync('never-stored')).toBeUndefined();
      expect(store.get('never-stored')).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });

  it('serves health checks and other sessions while a session waits; a dismissed prompt fails it with what to do', async () => {
    const client = await gateway.connect('locked');
    expect(JSON.parse(textOf(await client.callTool({ name: 'secret_digest', arguments: {} })))).toEqual({ digest: createHash('sha256').update(VALUE).digest('hex') });

    await keyring.lock();
    let settled = false;
    const waiting = gateway.connect('locked').finally(() => {
      settled = true;
    });
    waiting.catch(() => {});
    await waitFor(() => keyring.promptShown(), 'the unlock prompt');

    const health = await fetch(new URL('/healthz', gateway.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true });
    const other = await gateway.connect('plain');
    expect(textOf(await other.callTool({ name: 'echo', arguments: { text: 'meanwhile' } }))).toBe('meanwhile');
    // The session already open keeps working: its server got its secret when it started.
    expect(JSON.parse(textOf(await client.callTool({ name: 'secret_digest', arguments: {} })))).toHaveProperty('digest');
    expect(settled).toBe(false);
    expect(keyring.promptShown()).toBe(true);

    keyring.dismissPrompt();
    await expect(waiting).rejects.toThrow(LOCKED_MESSAGE);
    expect(gateway.output()).not.toContain(VALUE);
  });

  it('answers health checks while a connection test waits for the keychain, and reports a dismissed prompt', async () => {
    await keyring.lock();
    let settled = false;
    const testing = control<ConnectionTestView>(gateway, 'POST', '/control/connections/locked/test').finally(() => {
      settled = true;
    });
    await waitFor(() => keyring.promptShown(), 'the unlock prompt');
    expect((await fetch(new URL('/healthz', gateway.url))).status).toBe(200);
    expect(settled).toBe(false);

    keyring.dismissPrompt();
    const report = (await testing).data;
    expect(report.ok).toBe(false);
    expect(report.error).toMatch(LOCKED_MESSAGE);
    expect(JSON.stringify(report)).not.toContain(VALUE);
  });
});
