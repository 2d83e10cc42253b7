import { describe, expect, it } from 'vitest';
import type { RouteData } from '../../../src-gateway/control/contract.js';
import { TrayStateModel, type TrayStateSource } from '../../../src-main/tray-state.js';

function source(health: Partial<RouteData['health']>, apps: Array<Partial<RouteData['listAgentApps'][number]>>) {
  const calls: string[] = [];
  const fake = {
    async call(route: string) {
      calls.push(route);
      return route === 'health' ? { ok: true, data: health } : { ok: true, data: apps };
    },
  } as unknown as TrayStateSource;
  return { fake, calls };
}

describe('TrayStateModel', () => {
  it('reads approvals waiting, the pause and installed agent apps when the feed connects', async () => {
    const { fake } = source({ pendingApprovals: 2, protection: { pausedUntil: 1000 } }, [
      { id: 'cursor', label: 'Cursor', installed: true },
      { id: 'windsurf', label: 'Windsurf', installed: false },
    ]);
    const model = new TrayStateModel(fake, true);
    await model.refresh();
    expect(model.current).toMatchObject({ pendingApprovals: 2, pausedUntil: 1000, agentApps: [{ id: 'cursor', label: 'Cursor' }], openAtLogin: true });
  });

  it('follows the gateway status and protection events, and re-reads the count on approval events', async () => {
    const { fake, calls } = source({ pendingApprovals: 1, protection: { pausedUntil: null } }, []);
    const model = new TrayStateModel(fake, false);
    const seen: string[] = [];
    model.onChange((state) => seen.push(state.gateway));
    model.gatewayStatus({ state: 'failing', lastError: 'boom' });
    expect(model.current).toMatchObject({ gateway: 'failing', lastError: 'boom' });
    model.handleEvent({ type: 'protection-changed', data: { pausedUntil: 5 } });
    expect(model.current.pausedUntil).toBe(5);
    model.handleEvent({ type: 'approval-resolved', data: { id: 'a', decision: 'deny', channel: 'window' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual(['health']);
    expect(model.current.pendingApprovals).toBe(1);
    expect(seen[0]).toBe('failing');
  });
});
