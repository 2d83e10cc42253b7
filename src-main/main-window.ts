import { BrowserWindow, shell } from 'electron';
import type { PushPayloads } from './ipc/contract.js';
import { APP_BASE_URL } from './renderer-files.js';

const APP_PREFIX = APP_BASE_URL.replace(/\/ui\/$/, '/');

/** True for a URL of the app's own pages, the only place the window may go. */
const isAppUrl = (url: string) => url.startsWith(APP_PREFIX);

/**
 * The one tray window hosting `src-renderer`: context isolation, sandbox, no Node, the preload
 * bridge as its only way out. It never leaves `app://airlock`, opens no windows (https links go to
 * the browser), asks for no permissions, and hides instead of closing: the app lives in the tray.
 */
export class MainWindow {
  private window: BrowserWindow | undefined;
  private quitting = false;

  constructor(private readonly preload: string) {}

  /** Shows the window at a UI route (`/`, `/approvals?focus=…`), creating it if needed. */
  show(route = '/'): void {
    const path = `/ui${route.startsWith('/') ? route : `/${route}`}`;
    const existing = this.window;
    if (existing && !existing.isDestroyed()) {
      if (existing.webContents.isLoading()) void existing.loadURL(new URL(path, APP_PREFIX).href);
      else this.send('app:navigate', path);
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return;
    }
    const window = this.create();
    window.once('ready-to-show', () => window.show());
    void window.loadURL(new URL(path, APP_PREFIX).href);
  }

  /** Pushes to the page, if there is one. */
  send<C extends keyof PushPayloads>(channel: C, payload: PushPayloads[C]): void {
    const window = this.window;
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  }

  /** From now on a close really closes (the app is quitting). */
  allowClose(): void {
    this.quitting = true;
  }

  private create(): BrowserWindow {
    const window = new BrowserWindow({
      width: 1100,
      height: 760,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'Airlock',
      webPreferences: {
        preload: this.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      },
    });
    this.window = window;
    const contents = window.webContents;
    contents.on('will-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    window.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = undefined;
    });
    return window;
  }
}
