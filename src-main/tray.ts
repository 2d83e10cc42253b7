import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import { join } from 'node:path';
import { trayMenu, trayTooltip, trayWarning, type TrayActions, type TrayState } from './tray-menu.js';

export interface TrayIcons {
  normal: NativeImage;
  warning: NativeImage;
}

/**
 * The tray icons rendered by scripts/render-icons.mjs and copied next to main by the bundler. macOS
 * gets a template image (it tints it for the menu bar; `@2x` is picked up by itself); the warning
 * variant is in colour everywhere, so a failing gateway stands out.
 */
export function trayIcons(dir: string, platform: NodeJS.Platform = process.platform): TrayIcons {
  const normal = nativeImage.createFromPath(join(dir, platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'));
  if (platform === 'darwin') normal.setTemplateImage(true);
  return { normal, warning: nativeImage.createFromPath(join(dir, 'tray-warning.png')) };
}

/** The tray icon: its image, tooltip and menu follow `TrayState`; clicking it opens the window. */
export class AirlockTray {
  private readonly tray: Tray;
  private warning = false;

  constructor(
    private readonly actions: TrayActions,
    private readonly icons: TrayIcons,
  ) {
    this.tray = new Tray(icons.normal);
    this.tray.on('click', () => actions.openWindow('/'));
  }

  render(state: TrayState): void {
    const warning = trayWarning(state);
    if (warning !== this.warning) {
      this.warning = warning;
      this.tray.setImage(warning ? this.icons.warning : this.icons.normal);
    }
    this.tray.setToolTip(trayTooltip(state));
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenu(state, this.actions)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
