import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AirlockBridge } from '../src-main/ipc/contract.js';
import { ApiContext } from './api/api-context.js';
import { createBridgeApi } from './api/bridge-api.js';
import { createHttpApi, takeTokenFromUrl } from './api/http-api.js';
import { App } from './app.js';
import { navigate } from './router.js';
import './styles.css';

declare global {
  interface Window {
    /** Set by the desktop app's preload script; absent in a browser. */
    airlockBridge?: AirlockBridge;
  }
}

// In the desktop app the preload bridge is the API; in a browser, HTTP with the token the page
// was opened with (`/ui/#token=…`, printed by `airlock gateway` and `airlock ui`).
const bridge = window.airlockBridge;
const api = bridge ? createBridgeApi(bridge) : createHttpApi(takeTokenFromUrl());
// Main sends `/ui/...` paths (tray items, a clicked notification); the router's routes drop `/ui`.
bridge?.onNavigate((path) => navigate(path.replace(/^\/ui(?=\/|$)/, '') || '/'));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiContext.Provider value={api}>
      <App />
    </ApiContext.Provider>
  </StrictMode>,
);
