import { hasForbiddenKey, INVOKE_CHANNELS, type InvokeArgs, type InvokeChannel, type InvokeResults, type IpcResult } from './contract.js';

/** The part of Electron's `IpcMainInvokeEvent` checked here: which frame sent the message. */
export interface IpcSenderEvent {
  senderFrame: { url: string; parent: unknown } | null;
}

/** The part of Electron's `ipcMain` used here, so this file runs (and is tested) under plain Node. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown): void;
}

export type InvokeHandlers = {
  [C in InvokeChannel]: (args: InvokeArgs<C>) => Promise<IpcResult<InvokeResults[C]>>;
};

/** The window's own pages are served from here (see app-protocol.ts); nothing else may call main. */
export const APP_ORIGIN = { protocol: 'app:', host: 'airlock' } as const;

/**
 * True when the message comes from the top frame of a page at `app://airlock`. Sub-frames (an
 * injected iframe), other schemes (a page navigated to `https:`) and destroyed frames are refused.
 * `URL.origin` is "null" for non-special schemes, so protocol and host are compared instead.
 */
export function isTrustedSender(event: IpcSenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === APP_ORIGIN.protocol && url.host === APP_ORIGIN.host && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const refuse = (code: string, message: string): IpcResult<never> => ({ ok: false, code, message });

/**
 * One function through which every renderer message passes: unknown channels, foreign senders,
 * extra arguments, prototype-polluting keys and anything the channel's schema rejects are refused
 * with `{ok:false}`. A handler that throws is answered with `internal`, its message not sent.
 */
export function createIpcDispatcher(handlers: InvokeHandlers, log: (message: string) => void = () => {}) {
  return async (channel: string, event: IpcSenderEvent, args: unknown[]): Promise<IpcResult<unknown>> => {
    if (!Object.hasOwn(INVOKE_CHANNELS, channel)) return refuse('bad-request', `unknown channel "${channel}"`);
    if (!isTrustedSender(event)) {
      log(`refused ${channel} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return refuse('forbidden', 'this page may not call Airlock');
    }
    if (args.length !== 1) return refuse('bad-request', `${channel} takes exactly one argument`);
    if (hasForbiddenKey(args[0])) return refuse('bad-request', 'the arguments contain a forbidden key');
    const name = channel as InvokeChannel;
    const parsed = INVOKE_CHANNELS[name].safeParse(args[0]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse('bad-request', `invalid ${channel}: ${issue ? `${issue.path.join('.') || 'argument'}: ${issue.message}` : 'bad argument'}`);
    }
    try {
      // The schema's output is the handler's input by construction of InvokeHandlers.
      return await (handlers[name] as (args: unknown) => Promise<IpcResult<unknown>>)(parsed.data);
    } catch (error) {
      log(`${channel} failed: ${(error as Error).message}`);
      return refuse('internal', 'Airlock could not handle this request');
    }
  };
}

/** Registers one `handle` per declared invoke channel, each going through the dispatcher. */
export function registerValidatedIpc(ipc: IpcMainLike, handlers: InvokeHandlers, log?: (message: string) => void): void {
  const dispatch = createIpcDispatcher(handlers, log);
  for (const channel of Object.keys(INVOKE_CHANNELS)) {
    ipc.handle(channel, (event, ...args) => dispatch(channel, event, args));
  }
}
