import { createContext, useContext } from 'react';
import type { AirlockApi } from './airlock-api.js';

export const ApiContext = createContext<AirlockApi | null>(null);

/** The API backing this window (HTTP in a browser, the preload bridge in the app). */
export function useApi(): AirlockApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}
