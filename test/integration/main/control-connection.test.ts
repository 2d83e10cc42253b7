import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlEvent } from '../../../src-gateway/control/contract.js';
import { ControlConnection } from '../../../src-main/control-connection.js';
import { gatewayEnv } from '../../../src-main/gateway-env.js';
import { fileProbe } from '../../../src-main/gateway-probe.js';
import { GatewaySupervisor } from '../../../src-main/gateway-supervisor.js';
import { nodeChildLauncher } from '../../../src-main/node-child-launcher.js';
import { waitFor } from '../../helpers/gateway-process.js';

// Runs the compiled gateway (bin/airlock.js → dist/): `npm test` builds it first (pretest).

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A supervised gateway with main's control connection following it, wired as main.ts does. */
function supervisedConnection() {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-conn-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, servers: {} }));
  const supervisor = new GatewaySupervisor({
    launcher: nodeChildLauncher({ dataDir, configFile }),
    probe: fileProbe(dataDir),
    env: { ...gatewayEnv(), AIRLOCK_SECRET_STORE: 'env' },
    restart: { initialDelayMs: 100, maxDelayMs: 400 },
    readyPollMs: 50,
    healthIntervalMs: 500,
  });
  cleanups.push(() => supervisor.stop());
  const connection = new ControlConnection({ reconnectFirstMs: 50, reconnectMaxMs: 400 });
  cleanups.push(() => connection.close());
  supervisor.onStatus((status) => connection.setEndpoint(status.state === 'running' && status.url && status.token ? { url: status.url, token: status.token } : undefined));
  const events: ControlEvent[] = [];
  const transitions: boolean[] = [];
  connection.onEvent((event) => events.push(event));
  connection.onConnection((connected) => transitions.push(connected));
  connection.start();
  return { supervisor, connection, events, transitions };
}

describe('the control connection following a supervised gateway', () => {
  it('delivers events from the gateway', async () => {
    const { supervisor, connection, events } = supervisedConnection();
    await supervisor.start();
    await waitFor(() => connection.isConnected, 'the event feed');
    expect(await connection.call('pauseProtection', { body: { minutes: 15 } })).toMatchObject({ ok: true, data: { pausedUntil: expect.any(Number) } });
    await waitFor(() => events.find((event) => event.type === 'protection-changed'), 'a protection-changed event');
  });

  it('re-subscribes to the new gateway after the old one is killed, and still delivers events', async () => {
    const { supervisor, connection, events, transitions } = supervisedConnection();
    const first = await supervisor.start();
    await waitFor(() => connection.isConnected, 'the event feed');
    process.kill(first.pid!, 'SIGKILL');
    await waitFor(() => supervisor.current.state === 'running' && supervisor.current.pid !== first.pid, 'a new gateway');
    await waitFor(() => transitions.length >= 3 && connection.isConnected, 'the feed to come back', 15_000);
    expect(transitions.slice(0, 3)).toEqual([true, false, true]);

    const health = await connection.call('health');
    expect(health).toMatchObject({ ok: true, data: { pid: supervisor.current.pid } });
    expect(await connection.call('pauseProtection', { body: { minutes: 5 } })).toMatchObject({ ok: true });
    await waitFor(() => events.find((event) => event.type === 'protection-changed'), 'a protection-changed event from the new gateway');
  });

  it('answers unavailable while the gateway is stopped, and connects once it starts', async () => {
    const { supervisor, connection } = supervisedConnection();
    expect(await connection.call('health')).toMatchObject({ ok: false, code: 'unavailable' });
    await supervisor.start();
    await waitFor(() => connection.isConnected, 'the event feed');
    await supervisor.stop();
    await waitFor(() => !connection.isConnected, 'the feed to drop');
    expect(await connection.call('listApprovals')).toMatchObject({ ok: false, code: 'unavailable' });
  });
});
