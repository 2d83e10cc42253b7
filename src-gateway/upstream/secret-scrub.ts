import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Shorter values (a port, a flag) would blank out ordinary text; no real secret is this short. */
const MIN_SECRET_LENGTH = 6;
const REDACTED_SECRET = '[SECRET]';

/** The secrets worth looking for, longest first so one that contains another is cut out whole. */
export function secretsToFind(values: readonly string[]): string[] {
  return [...new Set(values)].filter((value) => value.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of `secrets` replaced by `[SECRET]`. */
export function cutSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(REDACTED_SECRET);
  return result;
}

/** `cutSecrets` for text about a server that does not travel as a message (an HTTP error body, a probe's report). */
export function textScrubber(injected: readonly string[]): (text: string) => string {
  const secrets = secretsToFind(injected);
  return (text) => cutSecrets(text, secrets);
}

/**
 * `fetch` whose error answers (status 400 and up) have `scrubText` applied to their body and status
 * text: the MCP client quotes both in the error it raises, which reaches the agent, the record, the
 * log and a connection test, and a server that rejects a credential often quotes it back.
 */
export function scrubbingFetch(fetch: FetchLike, scrubText: (text: string) => string): FetchLike {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (response.status < 400) return response;
    const body = scrubText(await response.text());
    return new Response(body, { status: response.status, statusText: scrubText(response.statusText), headers: response.headers });
  };
}

/**
 * Cuts the credentials Airlock injected into a server (`injectedSecretValues`: keychain values and
 * credential-named plain values of its env or headers) out of every string the server sends back,
 * keys included, before the pipeline sees the message: the agent must never learn a credential
 * Airlock holds for it, whatever its shape, and what is never delivered is never recorded. The
 * message is returned as is, not copied, when none is found.
 */
export function secretScrubber(injected: readonly string[]): (message: JSONRPCMessage) => JSONRPCMessage {
  const secrets = secretsToFind(injected);
  if (secrets.length === 0) return (message) => message;
  const found = (text: string) => secrets.some((secret) => text.includes(secret));
  // As they appear inside serialized JSON, for the quick look at the whole message.
  const escaped = secrets.map((secret) => JSON.stringify(secret).slice(1, -1));
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return found(value) ? cutSecrets(value, secrets) : value;
    if (Array.isArray(value)) return value.map(scrub);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [found(key) ? cutSecrets(key, secrets) : key, scrub(inner)]));
    }
    return value;
  };
  return (message) => {
    const text = JSON.stringify(message);
    return escaped.some((secret) => text.includes(secret)) ? (scrub(message) as JSONRPCMessage) : message;
  };
}
