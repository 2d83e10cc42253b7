import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { statusLine, trayMenu, trayTooltip, trayWarning, type TrayActions, type TrayState } from '../../../src-main/tray-menu.js';

const base: TrayState = { gateway: 'running', pendingApprovals: 0, pausedUntil: null, agentApps: [], openAtLogin: false };
const time = (ms: number) => `T${ms}`;

function actions(): TrayActions & Record<string, ReturnType<typeof vi.fn>> {
  return { openWindow: vi.fn(), pauseProtection: vi.fn(), resumeProtection: vi.fn(), setOpenAtLogin: vi.fn(), quit: vi.fn() };
}

const find = (items: MenuItemConstructorOptions[], label: string | RegExp) => {
  const item = items.find((entry) => (typeof label === 'string' ? entry.label === label : label.test(entry.label ?? '')));
  if (!item) throw new Error(`no item ${label} in ${items.map((entry) => entry.label).join(' | ')}`);
  return item;
};
const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();

describe('the tray menu', () => {
  it('shows the status, no approvals, open, pause, connect, start at login and quit when all is well', () => {
    const items = trayMenu(base, actions(), time);
    expect(items.filter((item) => item.type !== 'separator').map((item) => item.label)).toEqual([
      'Airlock is protecting your agents',
      'No approvals waiting',
      'Open Airlock',
      'Pause protection for 15 minutes',
      'Connect an agent',
      'Start at login',
      'Quit Airlock',
    ]);
    expect(items[0].enabled).toBe(false);
    expect(find(items, 'No approvals waiting').enabled).toBe(false);
  });

  it('counts approvals waiting and opens the Approvals page', () => {
    const a = actions();
    const one = trayMenu({ ...base, pendingApprovals: 1 }, a, time);
    expect(find(one, '1 approval waiting')).toBeDefined();
    const items = trayMenu({ ...base, pendingApprovals: 3 }, a, time);
    click(find(items, '3 approvals waiting'));
    expect(a.openWindow).toHaveBeenCalledWith('/approvals');
  });

  it('pauses protection, and once paused offers to resume with the time it ends', () => {
    const a = actions();
    click(find(trayMenu(base, a, time), 'Pause protection for 15 minutes'));
    expect(a.pauseProtection).toHaveBeenCalledOnce();
    const paused = trayMenu({ ...base, pausedUntil: 42 }, a, time);
    expect(paused[0].label).toBe('Protection paused until T42');
    click(find(paused, 'Resume protection (paused until T42)'));
    expect(a.resumeProtection).toHaveBeenCalledOnce();
  });

  it('cannot pause while the gateway is not running', () => {
    expect(find(trayMenu({ ...base, gateway: 'restarting' }, actions(), time), /^Pause/).enabled).toBe(false);
  });

  it('lists detected agent apps, each opening its setup page', () => {
    const a = actions();
    const items = trayMenu({ ...base, agentApps: [{ id: 'claude-desktop', label: 'Claude Desktop' }, { id: 'cursor', label: 'Cursor' }] }, a, time);
    const submenu = find(items, 'Connect an agent').submenu as MenuItemConstructorOptions[];
    expect(submenu.map((item) => item.label)).toEqual(['Claude Desktop', 'Cursor', undefined, 'All agent apps…']);
    click(find(submenu, 'Cursor'));
    expect(a.openWindow).toHaveBeenCalledWith('/agents?app=cursor');
  });

  it('says when no agent app was found', () => {
    const submenu = find(trayMenu(base, actions(), time), 'Connect an agent').submenu as MenuItemConstructorOptions[];
    expect(find(submenu, 'No agent apps found').enabled).toBe(false);
  });

  it('toggles start at login from its current state', () => {
    const a = actions();
    const on = find(trayMenu({ ...base, openAtLogin: true }, a, time), 'Start at login');
    expect(on).toMatchObject({ type: 'checkbox', checked: true });
    click(on);
    expect(a.setOpenAtLogin).toHaveBeenCalledWith(false);
  });

  it('opens the window and quits', () => {
    const a = actions();
    const items = trayMenu(base, a, time);
    click(find(items, 'Open Airlock'));
    click(find(items, 'Quit Airlock'));
    expect(a.openWindow).toHaveBeenCalledWith('/');
    expect(a.quit).toHaveBeenCalledOnce();
  });

  it('warns when the gateway keeps failing, with the reason', () => {
    const failing: TrayState = { ...base, gateway: 'failing', lastError: 'the gateway exited (code 1)' };
    expect(trayWarning(failing)).toBe(true);
    expect(trayWarning(base)).toBe(false);
    expect(statusLine(failing)).toBe("Airlock's gateway keeps failing: the gateway exited (code 1)");
    expect(trayTooltip({ ...failing, pendingApprovals: 2 })).toBe("Airlock's gateway keeps failing: the gateway exited (code 1) — 2 approvals waiting");
  });
});
