import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteData } from '../../../src-gateway/control/contract.js';
import { ControlConnection } from '../../../src-main/control-connection.js';
import { controlIpcHandlers } from '../../../src-main/ipc/control-handlers.js';
import { registerValidatedIpc, type IpcMainLike, type IpcSenderEvent } from '../../../src-main/ipc/validated-ipc.js';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';

// Runs the compiled gateway (bin/airlock.js → dist/): `npm test` builds it first (pretest).

/** Stands in for Electron's ipcMain: keeps the handlers and lets the test invoke them as a page would. */
function recordingIpcMain() {
  const handlers = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  const ipc: IpcMainLike = { handle: (channel, listener) => void handlers.set(channel, listener) };
  const invoke = async (channel: string, event: IpcSenderEvent, ...args: unknown[]) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  };
  return { ipc, invoke };
}

const appPage: IpcSenderEvent = { senderFrame: { url: 'app://airlock/ui/', parent: null } };

describe('the IPC bridge against the real gateway', () => {
  let gateway: GatewayProcess;
  let connection: ControlConnection;
  const { ipc, invoke } = recordingIpcMain();

  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: {} });
    connection = new ControlConnection();
    connection.setEndpoint({ url: gateway.url, token: readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim() });
    registerValidatedIpc(ipc, controlIpcHandlers(connection));
  });
  afterAll(async () => {
    await connection?.close();
    await gateway?.stop();
  });

  it('forwards a control request with main’s token and returns the gateway’s data', async () => {
    const result = (await invoke('control:request', appPage, { method: 'GET', path: '/control/health' })) as { ok: true; data: RouteData['health'] };
    expect(result).toMatchObject({ ok: true, data: { pendingApprovals: 0, url: gateway.url } });
  });

  it('passes query and body through, and the gateway’s own errors back', async () => {
    const stats = await invoke('control:request', appPage, { method: 'GET', path: '/control/stats', query: { minutes: 5 } });
    expect(stats).toMatchObject({ ok: true, data: { minutes: 5 } });
    const invalid = await invoke('control:request', appPage, { method: 'POST', path: '/control/clients', body: { name: '../bad' } });
    expect(invalid).toMatchObject({ ok: false, code: 'invalid', status: 400 });
    const missing = await invoke('control:request', appPage, { method: 'GET', path: '/control/sessions/nope' });
    expect(missing).toMatchObject({ ok: false, code: 'not-found', status: 404 });
  });

  it('refuses a page that is not the app’s, without reaching the gateway', async () => {
    const result = await invoke('control:request', { senderFrame: { url: 'https://evil.example/', parent: null } }, { method: 'POST', path: '/control/clients', body: { name: 'evil' } });
    expect(result).toMatchObject({ ok: false, code: 'forbidden' });
    const clients = (await invoke('control:request', appPage, { method: 'GET', path: '/control/clients' })) as { ok: true; data: Array<{ name: string }> };
    expect(clients.data.map((client) => client.name)).not.toContain('evil');
  });

  it('has no handler for channels it does not declare', async () => {
    await expect(invoke('control:events', appPage, {})).rejects.toThrow(/No handler/);
  });

  it('says the gateway is unavailable while none is running', async () => {
    const idle = new ControlConnection();
    const { ipc: other, invoke: invokeOther } = recordingIpcMain();
    registerValidatedIpc(other, controlIpcHandlers(idle));
    expect(await invokeOther('control:request', appPage, { method: 'GET', path: '/control/health' })).toMatchObject({ ok: false, code: 'unavailable' });
  });
});
