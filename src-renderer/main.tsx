import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AirlockApi } from './api/airlock-api.js';
import { ApiContext } from './api/api-context.js';
import { createHttpApi, takeTokenFromUrl } from './api/http-api.js';
import { App } from './app.js';
import './styles.css';

declare global {
  interface Window {
    /** Set by the desktop app's preload script; absent in a browser. */
    airlock?: AirlockApi;
  }
}

// In the desktop app the preload bridge is the API; in a browser, HTTP with the token the page
// was opened with (`/ui/#token=…`, printed by `airlock gateway` and `airlock ui`).
const api = window.airlock ?? createHttpApi(takeTokenFromUrl());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiContext.Provider value={api}>
      <App />
    </ApiContext.Provider>
  </StrictMode>,
);
