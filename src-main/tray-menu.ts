import type { MenuItemConstructorOptions } from 'electron';
import type { GatewayState } from './gateway-supervisor.js';

/** Everything the tray shows, gathered from the supervisor, the control API and the login item. */
export interface TrayState {
  gateway: GatewayState;
  /** Why the gateway was last replaced (shown when it keeps failing). */
  lastError?: string;
  pendingApprovals: number;
  /** Ms since epoch when paused protection resumes; null when on. */
  pausedUntil: number | null;
  /** Agent apps found on this machine. */
  agentApps: Array<{ id: string; label: string }>;
  openAtLogin: boolean;
}

export interface TrayActions {
  /** Shows the window at a route of the UI (`/`, `/approvals`, `/agents?app=…`). */
  openWindow(route: string): void;
  pauseProtection(): void;
  resumeProtection(): void;
  setOpenAtLogin(enabled: boolean): void;
  quit(): void;
}

/** The pause length offered by the tray. */
export const PAUSE_MINUTES = 15;

const hhmm = (ms: number) => {
  const at = new Date(ms);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
};

/** The one line that says what Airlock is doing now. */
export function statusLine(state: TrayState, formatTime: (ms: number) => string = hhmm): string {
  switch (state.gateway) {
    case 'running':
      return state.pausedUntil === null ? 'Airlock is protecting your agents' : `Protection paused until ${formatTime(state.pausedUntil)}`;
    case 'starting':
      return 'Airlock is starting…';
    case 'restarting':
      return 'Airlock is restarting its gateway…';
    case 'failing':
      return state.lastError ? `Airlock's gateway keeps failing: ${state.lastError}` : "Airlock's gateway keeps failing";
    case 'stopped':
      return 'Airlock is stopped';
  }
}

/** True when the tray should show its warning look. */
export const trayWarning = (state: TrayState) => state.gateway === 'failing';

/** The tray icon's tooltip: the status, and the approvals waiting if any. */
export function trayTooltip(state: TrayState, formatTime: (ms: number) => string = hhmm): string {
  const waiting = state.pendingApprovals > 0 ? ` — ${approvalsLabel(state.pendingApprovals)}` : '';
  return `${statusLine(state, formatTime)}${waiting}`;
}

function approvalsLabel(count: number): string {
  return count === 1 ? '1 approval waiting' : `${count} approvals waiting`;
}

/** The tray menu for `state`; every item's action is one of `actions`. Pure, so tests read it as data. */
export function trayMenu(state: TrayState, actions: TrayActions, formatTime: (ms: number) => string = hhmm): MenuItemConstructorOptions[] {
  const running = state.gateway === 'running';
  const paused = state.pausedUntil !== null;
  const agents: MenuItemConstructorOptions[] =
    state.agentApps.length > 0
      ? state.agentApps.map((app) => ({ label: app.label, click: () => actions.openWindow(`/agents?app=${encodeURIComponent(app.id)}`) }))
      : [{ label: 'No agent apps found', enabled: false }];
  return [
    { label: statusLine(state, formatTime), enabled: false },
    state.pendingApprovals > 0
      ? { label: approvalsLabel(state.pendingApprovals), click: () => actions.openWindow('/approvals') }
      : { label: 'No approvals waiting', enabled: false },
    { type: 'separator' },
    { label: 'Open Airlock', click: () => actions.openWindow('/') },
    paused
      ? { label: `Resume protection (paused until ${formatTime(state.pausedUntil!)})`, enabled: running, click: () => actions.resumeProtection() }
      : { label: `Pause protection for ${PAUSE_MINUTES} minutes`, enabled: running, click: () => actions.pauseProtection() },
    {
      label: 'Connect an agent',
      submenu: [...agents, { type: 'separator' }, { label: 'All agent apps…', click: () => actions.openWindow('/agents') }],
    },
    { type: 'separator' },
    { label: 'Start at login', type: 'checkbox', checked: state.openAtLogin, click: () => actions.setOpenAtLogin(!state.openAtLogin) },
    { label: 'Quit Airlock', click: () => actions.quit() },
  ];
}
