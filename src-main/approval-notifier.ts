import type { ControlEvent, ControlEvents } from '../src-gateway/control/contract.js';
import { argumentSummary } from './argument-summary.js';
import type { IpcResult } from './ipc/contract.js';

type PendingApproval = ControlEvents['approval-pending'];

export type NotificationActionId = 'allow' | 'deny';

/** What a desktop notification shows. `tag` identifies it to the OS (one per approval). */
export interface NotificationSpec {
  tag: string;
  title: string;
  body: string;
  actions: Array<{ id: NotificationActionId; label: string }>;
}

export interface NotificationHandle {
  onAction(listener: (action: NotificationActionId) => void): void;
  onClick(listener: () => void): void;
  close(): void;
}

/**
 * Shows desktop notifications: Electron's `Notification` in the app, a recorder in tests.
 * Implementations must never raise a notification's urgency above normal, so the OS's
 * Do Not Disturb keeps holding them back.
 */
export interface Notifier {
  show(spec: NotificationSpec): NotificationHandle;
}

export interface ApprovalNotifierOptions {
  notifier: Notifier;
  /**
   * Answers a pending approval through the control API, recorded with channel `notification`.
   * `binding` is the call the notification showed: the gateway refuses the answer for any other.
   */
  decide(id: string, decision: 'allow-once' | 'deny', binding: string): Promise<IpcResult<unknown>>;
  /** Shows the window at a route, e.g. `/approvals?focus=<id>`. */
  openWindow(route: string): void;
  log?: (message: string) => void;
}

/** The route of the Approvals page focused on one held call. */
export const approvalRoute = (id: string) => `/approvals?focus=${encodeURIComponent(id)}`;

/** The notification for a held call: the tool, the server, and its (already masked) arguments in one line. */
export function approvalNotification(approval: PendingApproval): NotificationSpec {
  return {
    tag: `approval-${approval.id}`,
    title: `Approve ${approval.tool ?? approval.method} on ${approval.server}?`,
    body: argumentSummary(approval.arguments),
    actions: [
      { id: 'allow', label: 'Allow' },
      { id: 'deny', label: 'Deny' },
    ],
  };
}

/**
 * Raises one notification per held call and keeps it in step with the gateway: Allow and Deny answer
 * the call (the same pending approval every other channel answers), a click opens the Approvals page
 * on it, and once the call is resolved anywhere its notification is closed.
 */
export class ApprovalNotifier {
  private readonly shown = new Map<string, NotificationHandle>();

  constructor(private readonly options: ApprovalNotifierOptions) {}

  /** Feed it every control event. */
  handleEvent(event: ControlEvent): void {
    if (event.type === 'approval-pending') this.show(event.data);
    else if (event.type === 'approval-resolved') this.dismiss(event.data.id);
  }

  /** After a reconnect: what is pending now. New ones are shown, ones no longer pending closed. */
  sync(pending: PendingApproval[]): void {
    const ids = new Set(pending.map((approval) => approval.id));
    for (const id of [...this.shown.keys()]) if (!ids.has(id)) this.dismiss(id);
    for (const approval of pending) this.show(approval);
  }

  /** Ids with an open notification. */
  get open(): string[] {
    return [...this.shown.keys()];
  }

  dismissAll(): void {
    for (const id of [...this.shown.keys()]) this.dismiss(id);
  }

  private show(approval: PendingApproval): void {
    if (this.shown.has(approval.id)) return;
    const handle = this.options.notifier.show(approvalNotification(approval));
    this.shown.set(approval.id, handle);
    handle.onAction((action) => void this.answer(approval, action));
    handle.onClick(() => this.options.openWindow(approvalRoute(approval.id)));
  }

  private async answer({ id, binding }: PendingApproval, action: NotificationActionId): Promise<void> {
    const result = await this.options.decide(id, action === 'allow' ? 'allow-once' : 'deny', binding);
    if (!result.ok) {
      this.options.log?.(`answering approval ${id} from a notification failed: ${result.code}`);
      // Already answered elsewhere or timed out: nothing to show. Otherwise let the person decide in the window.
      if (result.code !== 'not-pending' && result.code !== 'not-found') this.options.openWindow(approvalRoute(id));
    }
    this.dismiss(id);
  }

  private dismiss(id: string): void {
    const handle = this.shown.get(id);
    if (!handle) return;
    this.shown.delete(id);
    handle.close();
  }
}
