import { z } from 'zod';
import type { ControlEvent } from '../../src-gateway/control/contract.js';

/**
 * Every IPC channel between the tray window and main, declared once. The renderer asks (invoke
 * channels, arguments zod-checked in main) and main pushes (events, connection state, navigation).
 * Main holds the control token; the page only ever names a control-API path, never a URL or token.
 *
 * The renderer and the preload script import this file for its types only; main also for the schemas.
 */

/** Keys refused anywhere in renderer input: they reach prototypes when an object is merged or copied. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** True when `value` (any depth) has a key that could pollute a prototype. Arrays and objects are walked. */
export function hasForbiddenKey(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // Deeper than any control-API body: refuse rather than walk without bound.
  if (depth > 32) return true;
  return Reflect.ownKeys(value).some(
    (key) => (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) || hasForbiddenKey((value as Record<PropertyKey, unknown>)[key], depth + 1),
  );
}

/**
 * A control-API path the renderer may name: `/control/` then plain segments (letters, digits, `-._~`
 * and %-escapes). No `..` or `.` segment (also none spelled `%2e`, which URL parsing treats the same),
 * no empty segment, no query or fragment (the query travels separately), and not the event stream,
 * which main owns and pushes.
 */
export const CONTROL_PATH = /^\/control(?:\/(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})+)+$/;

function isSafeControlPath(path: string): boolean {
  if (!CONTROL_PATH.test(path)) return false;
  const segments = path.split('/').slice(2);
  if (segments[0] === 'events') return false;
  return segments.every((segment) => !/^(?:\.|%2e){1,2}$/i.test(segment));
}

const QueryValueSchema = z.union([z.string().max(2000), z.number().finite()]);

/** `control:request`: one JSON route of the control API, forwarded by main with its token. */
export const ControlRequestSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']),
  path: z.string().max(1000).refine(isSafeControlPath, 'not a control-API path this window may call'),
  query: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), QueryValueSchema).default({}),
  body: z.unknown().optional(),
});
export type ControlRequest = z.infer<typeof ControlRequestSchema>;

/** `control:export`: a session's recorded messages as JSONL. */
export const ControlExportSchema = z.strictObject({
  sessionId: z.string().min(1).max(200),
});
export type ControlExport = z.infer<typeof ControlExportSchema>;

/** What every invoke channel answers; never a thrown error, which IPC would turn into a bare string. */
export type IpcResult<T> = { ok: true; data: T } | { ok: false; code: string; message: string; status?: number };

/** Invoke channels (renderer → main) and the schema of their one argument. */
export const INVOKE_CHANNELS = {
  'control:request': ControlRequestSchema,
  'control:export': ControlExportSchema,
} as const;
export type InvokeChannel = keyof typeof INVOKE_CHANNELS;
export type InvokeArgs<C extends InvokeChannel> = z.infer<(typeof INVOKE_CHANNELS)[C]>;

/** The `data` of each invoke channel's answer. */
export interface InvokeResults {
  'control:request': unknown;
  'control:export': string;
}

/**
 * Push channels (main → renderer) and what each carries. Declared as a type only, so the preload
 * script (which must stay small: no zod) names them as literals the compiler checks against this.
 */
export interface PushPayloads {
  'control:event': ControlEvent;
  /** Whether main's event feed from the gateway is up. */
  'control:connection': boolean;
  /** A route of the window, `/ui/...`, e.g. from a tray item or a notification. */
  'app:navigate': string;
}

/** What the preload script exposes to the page as `window.airlockBridge`. */
export interface AirlockBridge {
  request(request: { method: ControlRequest['method']; path: string; query?: Record<string, string | number>; body?: unknown }): Promise<IpcResult<unknown>>;
  exportSession(sessionId: string): Promise<IpcResult<string>>;
  /** Each returns its unsubscribe. */
  onEvent(listener: (event: ControlEvent) => void): () => void;
  onConnection(listener: (connected: boolean) => void): () => void;
  onNavigate(listener: (path: string) => void): () => void;
}
