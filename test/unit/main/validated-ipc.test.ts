import { describe, expect, it, vi } from 'vitest';
import { createIpcDispatcher, registerValidatedIpc, type IpcMainLike, type IpcSenderEvent } from '../../../src-main/ipc/validated-ipc.js';

const fromApp: IpcSenderEvent = { senderFrame: { url: 'app://airlock/ui/approvals', parent: null } };
const ok = { method: 'GET', path: '/control/health' };

function setup() {
  const request = vi.fn(async (args: unknown) => ({ ok: true as const, data: args }));
  const exportSession = vi.fn(async () => ({ ok: true as const, data: 'jsonl' }));
  const dispatch = createIpcDispatcher({ 'control:request': request, 'control:export': exportSession });
  return { request, exportSession, dispatch };
}

describe('validated IPC', () => {
  it('forwards a well-formed control request from the app page, with defaults filled in', async () => {
    const { dispatch, request } = setup();
    expect(await dispatch('control:request', fromApp, [{ ...ok, query: { limit: 5 } }])).toEqual({ ok: true, data: { ...ok, query: { limit: 5 } } });
    expect(await dispatch('control:request', fromApp, [ok])).toMatchObject({ ok: true });
    expect(request).toHaveBeenLastCalledWith({ ...ok, query: {} });
  });

  it('refuses a channel it does not declare', async () => {
    const { dispatch, request } = setup();
    expect(await dispatch('control:events', fromApp, [ok])).toMatchObject({ ok: false, code: 'bad-request' });
    expect(await dispatch('__proto__', fromApp, [ok])).toMatchObject({ ok: false });
    expect(await dispatch('toString', fromApp, [ok])).toMatchObject({ ok: false });
    expect(request).not.toHaveBeenCalled();
  });

  it.each([
    ['another origin', { senderFrame: { url: 'https://evil.example/ui/', parent: null } }],
    ['a look-alike host', { senderFrame: { url: 'app://airlock.evil/ui/', parent: null } }],
    ['a file URL', { senderFrame: { url: 'file:///tmp/page.html', parent: null } }],
    ['credentials in the URL', { senderFrame: { url: 'app://x@airlock/ui/', parent: null } }],
    ['a sub-frame of the app', { senderFrame: { url: 'app://airlock/ui/', parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses a sender that is %s', async (_name, event) => {
    const { dispatch, request } = setup();
    expect(await dispatch('control:request', event as IpcSenderEvent, [ok])).toMatchObject({ ok: false, code: 'forbidden' });
    expect(request).not.toHaveBeenCalled();
  });

  it.each([
    ['a non-control path', { method: 'GET', path: '/healthz' }],
    ['the agent endpoint', { method: 'POST', path: '/servers/probe/mcp' }],
    ['the event stream', { method: 'GET', path: '/control/events' }],
    ['a traversal', { method: 'GET', path: '/control/../servers/x/mcp' }],
    ['an encoded traversal', { method: 'GET', path: '/control/%2e%2e/healthz' }],
    ['a half-encoded traversal', { method: 'GET', path: '/control/.%2E/healthz' }],
    ['a double slash', { method: 'GET', path: '/control//health' }],
    ['a query in the path', { method: 'GET', path: '/control/health?x=1' }],
    ['a fragment', { method: 'GET', path: '/control/health#x' }],
    ['an absolute URL', { method: 'GET', path: 'http://127.0.0.1:1/control/health' }],
    ['a protocol-relative URL', { method: 'GET', path: '//evil.example/control/health' }],
    ['a backslash', { method: 'GET', path: '/control\\..\\healthz' }],
    ['a bad method', { method: 'PATCH', path: '/control/health' }],
    ['an extra field', { ...ok, url: 'http://evil.example' }],
    ['a bad query key', { ...ok, query: { 'a b': '1' } }],
    ['a query object value', { ...ok, query: { a: { b: 1 } } }],
    ['a __proto__ key in the body', { method: 'POST', path: '/control/policy/local-rules', body: JSON.parse('{"rule":{"__proto__":{"action":"allow"}}}') }],
    ['a constructor key deep in the body', { method: 'POST', path: '/control/mask/preview', body: { value: [{ a: { constructor: { prototype: {} } } }] } }],
    ['a __proto__ query key', { ...ok, query: JSON.parse('{"__proto__":"x"}') }],
    ['not an object', 'GET /control/health'],
  ])('refuses %s', async (_name, args) => {
    const { dispatch, request } = setup();
    expect(await dispatch('control:request', fromApp, [args])).toMatchObject({ ok: false, code: 'bad-request' });
    expect(request).not.toHaveBeenCalled();
  });

  it('refuses extra or missing arguments', async () => {
    const { dispatch } = setup();
    expect(await dispatch('control:request', fromApp, [ok, ok])).toMatchObject({ ok: false, code: 'bad-request' });
    expect(await dispatch('control:export', fromApp, [])).toMatchObject({ ok: false, code: 'bad-request' });
  });

  it('accepts encoded path parameters that are not traversals', async () => {
    const { dispatch } = setup();
    expect(await dispatch('control:request', fromApp, [{ method: 'POST', path: '/control/connections/probe/tools/a%2Fb/approve' }])).toMatchObject({ ok: true });
    expect(await dispatch('control:request', fromApp, [{ method: 'GET', path: '/control/sessions/s.1..2' }])).toMatchObject({ ok: true });
  });

  it('answers a handler that throws with an internal error, not its message', async () => {
    const log = vi.fn();
    const dispatch = createIpcDispatcher(
      { 'control:request': async () => Promise.reject(new Error('secret detail')), 'control:export': async () => ({ ok: true, data: '' }) },
      log,
    );
    const result = await dispatch('control:request', fromApp, [ok]);
    expect(result).toEqual({ ok: false, code: 'internal', message: 'Airlock could not handle this request' });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('secret detail'));
  });

  it('registers exactly the declared invoke channels', () => {
    const channels: string[] = [];
    const ipc: IpcMainLike = { handle: (channel) => void channels.push(channel) };
    registerValidatedIpc(ipc, { 'control:request': async () => ({ ok: true, data: null }), 'control:export': async () => ({ ok: true, data: '' }) });
    expect(channels.sort()).toEqual(['control:export', 'control:request']);
  });
});
