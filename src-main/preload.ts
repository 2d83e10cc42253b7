import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
// Types only: the channel names below are checked against the contract, and no zod is bundled here.
import type { AirlockBridge, InvokeChannel, InvokeResults, IpcResult, PushPayloads } from './ipc/contract.js';

/**
 * The page's only way out: `window.airlockBridge`, a few functions over the channels declared in
 * ipc/contract.ts. Nothing of Electron itself (no `ipcRenderer`, no event objects) reaches the page,
 * and main checks every argument again: this side is not trusted to have done so.
 */
function invoke<C extends InvokeChannel>(channel: C, arg: unknown): Promise<IpcResult<InvokeResults[C]>> {
  return ipcRenderer.invoke(channel, arg) as Promise<IpcResult<InvokeResults[C]>>;
}

function listen<C extends keyof PushPayloads>(channel: C, listener: (payload: PushPayloads[C]) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: PushPayloads[C]) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => void ipcRenderer.removeListener(channel, wrapped);
}

const bridge = {
  request: (request) => invoke('control:request', request),
  exportSession: (sessionId) => invoke('control:export', { sessionId }),
  onEvent: (listener) => listen('control:event', listener),
  onConnection: (listener) => listen('control:connection', listener),
  onNavigate: (listener) => listen('app:navigate', listener),
} satisfies AirlockBridge;

contextBridge.exposeInMainWorld('airlockBridge', bridge);
