import { Notification, type NotificationConstructorOptions } from 'electron';
import type { NotificationActionId, NotificationHandle, NotificationSpec, Notifier } from './approval-notifier.js';

/**
 * Desktop notifications through Electron. Buttons exist on macOS and Windows; on Linux Electron
 * shows none (main prefers notify-send-notifier.ts there when libnotify's notify-send is installed),
 * so a click opens the window where the person answers. Urgency stays `normal`:
 * `critical` would break through Do Not Disturb on Linux, and macOS and Windows hold normal
 * notifications back while it is on.
 */
export function electronNotifier(platform: NodeJS.Platform = process.platform): Notifier {
  const withActions = platform === 'darwin' || platform === 'win32';
  // A Notification that is garbage-collected loses its click and action events: keep each until closed.
  const live = new Set<Notification>();
  return {
    show(spec: NotificationSpec): NotificationHandle {
      if (!Notification.isSupported()) return { onAction() {}, onClick() {}, close() {} };
      const options: NotificationConstructorOptions = {
        id: spec.tag,
        title: spec.title,
        body: spec.body,
        urgency: 'normal',
        actions: withActions ? spec.actions.map((action) => ({ type: 'button', text: action.label })) : [],
        closeButtonText: withActions ? 'Later' : undefined,
      };
      const notification = new Notification(options);
      live.add(notification);
      const actionListeners: Array<(action: NotificationActionId) => void> = [];
      const clickListeners: Array<() => void> = [];
      notification.on('action', (details) => {
        const action = spec.actions[details.actionIndex];
        if (action) actionListeners.forEach((listener) => listener(action.id));
      });
      notification.on('click', () => clickListeners.forEach((listener) => listener()));
      notification.on('close', () => live.delete(notification));
      notification.on('failed', () => live.delete(notification));
      notification.show();
      return {
        onAction: (listener) => void actionListeners.push(listener),
        onClick: (listener) => void clickListeners.push(listener),
        close() {
          live.delete(notification);
          notification.close();
        },
      };
    },
  };
}

/** A plain notification without actions (the gateway keeps failing, …). */
export function showNotice(title: string, body: string): void {
  if (!Notification.isSupported()) return;
  new Notification({ title, body, urgency: 'normal' }).show();
}
