import type { GatewayStatus } from './gateway-supervisor.js';

export interface GatewayAlertSink {
  /** One desktop notification (no actions). */
  notify(title: string, body: string): void;
}

/**
 * Tells the person once when the gateway turns `failing` (it keeps crashing or cannot start), and
 * again only after it has run in between: restarts go on in the background, and one notice per
 * episode is enough. The tray's warning look follows the state itself (`trayWarning`).
 */
export function gatewayAlerts(sink: GatewayAlertSink): (status: GatewayStatus) => void {
  let told = false;
  return (status) => {
    if (status.state === 'running') told = false;
    if (status.state !== 'failing' || told) return;
    told = true;
    sink.notify("Airlock's gateway keeps failing", status.lastError ?? 'It could not be started. Airlock keeps trying.');
  };
}
