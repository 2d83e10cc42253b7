import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { CONTROL_ROUTES, ControlResult, ErrorCode, JsonRouteName, RouteData, RouteName } from './contract.js';

type Routes = typeof CONTROL_ROUTES;
type QueryOf<K extends RouteName> = Routes[K] extends { query: z.ZodType } ? z.output<Routes[K]['query']> : Record<string, never>;
type BodyOf<K extends RouteName> = Routes[K] extends { body: z.ZodType } ? z.output<Routes[K]['body']> : undefined;

/** What a handler gets: the request already routed, its query and body already validated. */
export interface HandlerInput<K extends RouteName> {
  params: Record<string, string>;
  query: QueryOf<K>;
  body: BodyOf<K>;
  req: IncomingMessage;
  res: ServerResponse;
}

export type JsonHandler<K extends JsonRouteName> = (input: HandlerInput<K>) => ControlResult<RouteData[K]> | Promise<ControlResult<RouteData[K]>>;
/** Raw routes (SSE, downloads) write the response themselves. */
export type RawHandler<K extends RouteName> = (input: HandlerInput<K>) => void | Promise<void>;

/** One handler per route of the contract; the compiler refuses a missing one. */
export type ControlHandlers = { [K in RouteName]: K extends JsonRouteName ? JsonHandler<K> : RawHandler<K> };

export function ok<T>(data: T): ControlResult<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string): { ok: false; code: ErrorCode; message: string } {
  return { ok: false, code, message };
}
