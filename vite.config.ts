import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The tray window's UI: built into dist/renderer, served by the gateway at /ui/. */
export default defineConfig({
  root: 'src-renderer',
  base: '/ui/',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // The page's CSP forbids inline scripts; keep every module in a file.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
