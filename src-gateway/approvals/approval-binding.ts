import { createHash } from 'node:crypto';

/** What an approval is bound to: the call exactly as it will be forwarded. */
export interface BoundCall {
  server: string;
  method: string;
  tool?: string;
  arguments?: unknown;
}

/**
 * JSON with object keys sorted at every level, so `{a:1,b:2}` and `{b:2,a:1}` have one text.
 * Values JSON cannot hold (undefined, functions) are dropped as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/**
 * The hash an approval (and an "allow for this session") is bound to: sha256 of the server, method,
 * tool and canonical arguments. A call with any argument changed has another binding, so it needs
 * a new approval. Missing arguments and `{}` bind alike, as MCP treats them alike.
 */
export function approvalBinding(call: BoundCall): string {
  const text = canonicalJson([call.server, call.method, call.tool ?? null, call.arguments ?? {}]);
  return createHash('sha256').update(text).digest('hex');
}
