import { execFile, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { NotificationActionId, NotificationHandle, NotificationSpec, Notifier } from './approval-notifier.js';

export interface NotifySendOptions {
  /** The `notify-send` to run (libnotify-bin ≥ 0.7.10). */
  command?: string;
  /** Closes a shown notification by its server id; defaults to a D-Bus `CloseNotification` via gdbus. */
  closeById?: (id: string) => void;
}

/** True when `command` is a notify-send that can show actions and report the one chosen. */
export function notifySendSupportsActions(command = 'notify-send'): boolean {
  const help = spawnSync(command, ['--help'], { encoding: 'utf8', timeout: 2_000 });
  return help.status === 0 && ['--action', '--wait', '--print-id'].every((option) => help.stdout.includes(option));
}

function closeWithGdbus(id: string): void {
  execFile(
    'gdbus',
    ['call', '--session', '--dest', 'org.freedesktop.Notifications', '--object-path', '/org/freedesktop/Notifications', '--method', 'org.freedesktop.Notifications.CloseNotification', id],
    () => {},
  );
}

/**
 * Notifications with Allow/Deny buttons on Linux, where Electron's own have none: one
 * `notify-send --wait` per notification, which prints the notification's id, then the key of the
 * action chosen (`default` is a click on its body). Urgency is always `normal`: a `critical`
 * notification would bypass Do Not Disturb. Title and body come after `--`, never read as options.
 */
export function notifySendNotifier(options: NotifySendOptions = {}): Notifier {
  const command = options.command ?? 'notify-send';
  const closeById = options.closeById ?? closeWithGdbus;
  return {
    show(spec: NotificationSpec): NotificationHandle {
      const args = [
        '--app-name=Airlock',
        '--urgency=normal',
        '--print-id',
        '--wait',
        '--action=default=Open Airlock',
        ...spec.actions.map((action) => `--action=${action.id}=${action.label}`),
        '--',
        spec.title,
        spec.body,
      ];
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
      child.on('error', () => {});
      const actionListeners: Array<(action: NotificationActionId) => void> = [];
      const clickListeners: Array<() => void> = [];
      let id: string | undefined;
      let closed = false;
      createInterface({ input: child.stdout }).on('line', (line) => {
        const value = line.trim();
        if (id === undefined && /^\d+$/.test(value)) id = value;
        else if (value === 'default') clickListeners.forEach((listener) => listener());
        else {
          const action = spec.actions.find((candidate) => candidate.id === value);
          if (action) actionListeners.forEach((listener) => listener(action.id));
        }
      });
      return {
        onAction: (listener) => void actionListeners.push(listener),
        onClick: (listener) => void clickListeners.push(listener),
        close() {
          if (closed) return;
          closed = true;
          if (id !== undefined && child.exitCode === null) closeById(id);
          child.kill();
        },
      };
    },
  };
}
