import { describe, expect, it, vi } from 'vitest';
import type { AirlockBridge } from '../../../src-main/ipc/contract.js';
import { ApiError } from '../../../src-renderer/api/airlock-api.js';
import { createBridgeApi } from '../../../src-renderer/api/bridge-api.js';

function fakeBridge(answer: Awaited<ReturnType<AirlockBridge['request']>>) {
  const bridge: AirlockBridge = {
    request: vi.fn(async () => answer),
    exportSession: vi.fn(async () => ({ ok: true as const, data: '{}\n' })),
    onEvent: vi.fn(() => () => {}),
    onConnection: vi.fn(() => () => {}),
    onNavigate: vi.fn(() => () => {}),
  };
  return bridge;
}

describe('the bridge-backed API (renderer side)', () => {
  it('turns a route call into a control request with params filled in and query values kept', async () => {
    const bridge = fakeBridge({ ok: true, data: { id: 'a/1', decision: 'deny' } });
    const api = createBridgeApi(bridge);
    expect(await api.call('decideApproval', { params: { id: 'a/1' }, body: { decision: 'deny' } })).toEqual({ id: 'a/1', decision: 'deny' });
    expect(bridge.request).toHaveBeenCalledWith({ method: 'POST', path: '/control/approvals/a%2F1/decision', query: {}, body: { decision: 'deny' } });
    await api.call('listSessions', { query: { limit: 10, server: undefined } });
    expect(bridge.request).toHaveBeenLastCalledWith({ method: 'GET', path: '/control/sessions', query: { limit: 10 }, body: undefined });
  });

  it('throws an ApiError with the code, message and status of a refused call', async () => {
    const api = createBridgeApi(fakeBridge({ ok: false, code: 'not-pending', message: 'already answered', status: 404 }));
    await expect(api.call('health')).rejects.toEqual(new ApiError('not-pending', 'already answered', 404));
    await expect(api.call('health')).rejects.toBeInstanceOf(ApiError);
  });

  it('reports the connection from a first health check, then from main’s pushes', async () => {
    const bridge = fakeBridge({ ok: true, data: {} });
    const connection = vi.fn();
    const off = createBridgeApi(bridge).subscribe(() => {}, connection);
    await vi.waitFor(() => expect(connection).toHaveBeenCalledWith(true));
    expect(bridge.onEvent).toHaveBeenCalledOnce();
    expect(bridge.onConnection).toHaveBeenCalledWith(connection);
    off();
  });
});
