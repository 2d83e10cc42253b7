import { ApiError } from '../api/airlock-api.js';

/** What to show a person for a failed call: the gateway's own message, which says what to do. */
export function errorMessage(error: unknown): string {
  // The router names fields from the request (`body.server.url`); the person knows them as fields.
  if (error instanceof ApiError && error.code === 'invalid') return error.message.replace(/(^|; )body\./g, '$1');
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * The problems in an `invalid` answer, one per field: the router joins zod issues as
 * `body.rule.match.tool: expected …; body.rule.id: …`. Paths are returned without the `body.` prefix.
 */
export function fieldErrors(error: unknown): Array<{ path: string; message: string }> {
  if (!(error instanceof ApiError) || error.code !== 'invalid') return [];
  return error.message.split('; ').flatMap((part) => {
    const match = /^body\.([^:\s]*): (.*)$/s.exec(part);
    return match ? [{ path: match[1], message: match[2] }] : [];
  });
}
