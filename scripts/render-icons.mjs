#!/usr/bin/env node
// Renders build/icon.svg to the PNGs the app and its installers use, with the system's Chromium:
// build/icon.png (installers; electron-builder derives .icns/.ico from it) and the tray icons in
// src-main/assets (a template image for macOS's menu bar, a colour one elsewhere, a warning variant).
// Run by hand after changing the SVG; the PNGs are committed.
import { chromium } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'build/icon.svg'), 'utf8');
// The tray's template image is the mark alone, black on transparent: macOS tints it for the menu bar.
const template = svg.replace(/<rect x="16"[^>]*\/>/, '').replaceAll('#f1faee', '#000');
// The warning variant (the gateway keeps failing) swaps the blue for amber.
const warning = svg.replace('#1d3557', '#b5651d');

const outputs = [
  { svg, size: 512, file: 'build/icon.png' },
  { svg, size: 32, file: 'src-main/assets/tray.png' },
  { svg: warning, size: 32, file: 'src-main/assets/tray-warning.png' },
  { svg: template, size: 16, file: 'src-main/assets/trayTemplate.png' },
  { svg: template, size: 32, file: 'src-main/assets/trayTemplate@2x.png' },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  for (const { svg: source, size, file } of outputs) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${source}`);
    writeFileSync(join(root, file), await page.screenshot({ omitBackground: true }));
    console.log(`${file} ${size}×${size}`);
  }
} finally {
  await browser.close();
}
