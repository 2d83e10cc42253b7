import type { ControlEvent, RouteData, RouteInput } from '../src-gateway/control/contract.js';
import type { GatewayStatus } from './gateway-supervisor.js';
import type { IpcResult } from './ipc/contract.js';
import type { TrayState } from './tray-menu.js';

/** The control-API calls the tray's state needs (ControlConnection provides them). */
export interface TrayStateSource {
  call(route: 'health', input?: RouteInput): Promise<IpcResult<RouteData['health']>>;
  call(route: 'listAgentApps', input?: RouteInput): Promise<IpcResult<RouteData['listAgentApps']>>;
}

/**
 * Keeps the tray's `TrayState` current: the gateway's state from the supervisor, the approvals
 * waiting and the protection pause from the control API (re-read when the feed reconnects and when
 * an event says they changed), the agent apps found, and the login item.
 */
export class TrayStateModel {
  private state: TrayState;
  private readonly listeners = new Set<(state: TrayState) => void>();

  constructor(
    private readonly source: TrayStateSource,
    openAtLogin: boolean,
  ) {
    this.state = { gateway: 'stopped', pendingApprovals: 0, pausedUntil: null, agentApps: [], openAtLogin };
  }

  get current(): TrayState {
    return this.state;
  }

  onChange(listener: (state: TrayState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  gatewayStatus(status: GatewayStatus): void {
    this.set({ gateway: status.state, lastError: status.lastError });
  }

  openAtLogin(enabled: boolean): void {
    this.set({ openAtLogin: enabled });
  }

  handleEvent(event: ControlEvent): void {
    if (event.type === 'protection-changed') this.set({ pausedUntil: event.data.pausedUntil });
    else if (event.type === 'approval-pending' || event.type === 'approval-resolved') void this.refreshHealth();
  }

  /** Re-reads everything from the gateway: call when the event feed (re)connects. */
  async refresh(): Promise<void> {
    await Promise.all([this.refreshHealth(), this.refreshAgentApps()]);
  }

  private async refreshHealth(): Promise<void> {
    const health = await this.source.call('health');
    if (health.ok) this.set({ pendingApprovals: health.data.pendingApprovals, pausedUntil: health.data.protection?.pausedUntil ?? null });
  }

  private async refreshAgentApps(): Promise<void> {
    const apps = await this.source.call('listAgentApps');
    if (apps.ok) this.set({ agentApps: apps.data.filter((app) => app.installed).map((app) => ({ id: app.id, label: app.label })) });
  }

  private set(change: Partial<TrayState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener(this.state);
  }
}
