import { app, ipcMain } from 'electron';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ApprovalNotifier } from './approval-notifier.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { ControlConnection } from './control-connection.js';
import { gatewayAlerts } from './gateway-alerts.js';
import { gatewayEnv } from './gateway-env.js';
import { fileProbe } from './gateway-probe.js';
import { GatewaySupervisor } from './gateway-supervisor.js';
import { controlIpcHandlers } from './ipc/control-handlers.js';
import { registerValidatedIpc } from './ipc/validated-ipc.js';
import { xdgAutostart, type LoginItem } from './login-item.js';
import { MainWindow } from './main-window.js';
import { nodeChildLauncher } from './node-child-launcher.js';
import { electronNotifier, showNotice } from './notifications.js';
import { notifySendNotifier, notifySendSupportsActions } from './notify-send-notifier.js';
import { AirlockTray, trayIcons } from './tray.js';
import { PAUSE_MINUTES } from './tray-menu.js';
import { TrayStateModel } from './tray-state.js';
import { utilityLauncher } from './utility-launcher.js';

// Bundled layout: dist-app/{main.mjs, preload.cjs, gateway.mjs}, the renderer in dist/renderer.
const GATEWAY_ENTRY = join(import.meta.dirname, 'gateway.mjs');
const PRELOAD = join(import.meta.dirname, 'preload.cjs');
const RENDERER_DIR = join(import.meta.dirname, '../dist/renderer');
const ASSETS_DIR = join(import.meta.dirname, 'assets');

/** Started at login: stay in the tray. Started by the user: open the window too. */
const HIDDEN_FLAG = '--hidden';
/** electron-builder.yml's appId. */
const APP_ID = 'dev.airlock.desktop';

const log = (message: string) => console.error(`[airlock] ${message}`);

// Before `ready`, as Electron requires.
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void run().catch((error: Error) => {
    log(`cannot start: ${error.stack ?? error.message}`);
    app.exit(1);
  });
}

/** Wires the tray app: gateway child, control connection, tray, notifications, window, IPC. */
async function run(): Promise<void> {
  const window = new MainWindow(PRELOAD);
  app.on('second-instance', () => {
    if (app.isReady()) window.show('/');
  });
  // A tray app: closing the window does not quit.
  app.on('window-all-closed', () => {});
  await app.whenReady();
  // Windows shows toasts only for an app with an id; the installer registers the same one.
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  serveRenderer(RENDERER_DIR);

  const dataDir = join(app.getPath('userData'), 'gateway');
  mkdirSync(dataDir, { recursive: true });
  // Packaged, the gateway is a utility process of the app, with native modules rebuilt for it. In
  // development (`npm run app`) node_modules holds them built for Node, so the gateway runs
  // bin/airlock.js under the Node on PATH (or $AIRLOCK_NODE), exactly as `npm start` does.
  const supervisor = new GatewaySupervisor({
    launcher: app.isPackaged
      ? utilityLauncher({ entry: GATEWAY_ENTRY, dataDir })
      : nodeChildLauncher({ dataDir, node: process.env.AIRLOCK_NODE || 'node' }),
    probe: fileProbe(dataDir),
    env: gatewayEnv(),
    onOutput: (_stream, line) => console.error(`[gateway] ${line}`),
  });

  const connection = new ControlConnection({ log });
  const approvals = new ApprovalNotifier({
    // Linux: Electron's notifications have no buttons; libnotify's notify-send has, where installed.
    notifier: process.platform === 'linux' && notifySendSupportsActions() ? notifySendNotifier() : electronNotifier(),
    decide: (id, decision, binding) => connection.call('decideApproval', { params: { id }, body: { decision, channel: 'notification', binding } }),
    openWindow: (route) => window.show(route),
    log,
  });
  const loginItem: LoginItem =
    process.platform === 'linux'
      ? xdgAutostart(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), process.env.APPIMAGE || process.execPath, [HIDDEN_FLAG])
      : { get: () => app.getLoginItemSettings().openAtLogin, set: (openAtLogin) => app.setLoginItemSettings({ openAtLogin, args: [HIDDEN_FLAG] }) };
  const trayState = new TrayStateModel(connection, loginItem.get());
  const tray = new AirlockTray({
    openWindow: (route) => window.show(route),
    pauseProtection: () => void connection.call('pauseProtection', { body: { minutes: PAUSE_MINUTES } }),
    resumeProtection: () => void connection.call('resumeProtection'),
    setOpenAtLogin: (enabled) => {
      try {
        loginItem.set(enabled);
      } catch (error) {
        log(`cannot change the login item: ${(error as Error).message}`);
      }
      trayState.openAtLogin(loginItem.get());
    },
    quit: () => app.quit(),
  }, trayIcons(ASSETS_DIR));
  trayState.onChange((state) => tray.render(state));
  tray.render(trayState.current);

  const alert = gatewayAlerts({ notify: showNotice });
  supervisor.onStatus((status) => {
    connection.setEndpoint(status.state === 'running' && status.url && status.token ? { url: status.url, token: status.token } : undefined);
    trayState.gatewayStatus(status);
    alert(status);
  });
  connection.onEvent((event) => {
    approvals.handleEvent(event);
    trayState.handleEvent(event);
    window.send('control:event', event);
  });
  connection.onConnection((connected) => {
    window.send('control:connection', connected);
    if (!connected) return;
    // Events missed while the feed was down (or before the first connect): read the state afresh.
    void trayState.refresh();
    void connection.call('listApprovals').then((pending) => pending.ok && approvals.sync(pending.data));
  });
  registerValidatedIpc(ipcMain, controlIpcHandlers(connection), log);
  connection.start();

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    window.allowClose();
    approvals.dismissAll();
    void (async () => {
      await connection.close();
      await supervisor.stop();
      stopped = true;
      tray.destroy();
      app.quit();
    })();
  });

  if (!process.argv.includes(HIDDEN_FLAG)) window.show('/');
  // A gateway that keeps failing is shown by the tray and a notification; restarts go on.
  await supervisor.start().catch((error: Error) => log(error.message));
}
