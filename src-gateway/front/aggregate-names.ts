import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';

/** Between a server's name and its own name of a tool, prompt, resource or template: `<server>__<name>`. */
export const NAME_SEPARATOR = '__';

export function prefixedName(server: string, name: string): string {
  return `${server}${NAME_SEPARATOR}${name}`;
}

/** One server's answer to a list request. */
export interface ServerPage<T> {
  server: string;
  items: readonly T[];
}

/**
 * Several servers' lists as one: the entries the agent sees (names prefixed), which server owns
 * each key, and the keys more than one server offers, which are left out and refused.
 */
export interface MergedList<T> {
  items: T[];
  owners: Map<string, { server: string; name: string }>;
  collisions: Map<string, string[]>;
}

export type Route = { ok: true; server: string; name: string } | { ok: false; message: string };

/** Tools, prompts and templates: keyed by their prefixed name. */
export function mergeByName<T extends { name: string }>(pages: ReadonlyArray<ServerPage<T>>): MergedList<T> {
  return merge(pages, (server, item) => prefixedName(server, item.name), (item) => item.name);
}

/** Resources keep their URIs, so the URI is the key two servers may collide on. */
export function mergeByUri<T extends { name: string; uri: string }>(pages: ReadonlyArray<ServerPage<T>>): MergedList<T> {
  return merge(pages, (_server, item) => item.uri, (item) => item.uri);
}

/**
 * Which server a prefixed name belongs to: the owner the agent's last list named when there is
 * one, otherwise the one connected server whose name prefixes it. Never a guess between two.
 */
export function routeName(prefixed: string, servers: readonly string[], list?: MergedList<unknown>): Route {
  const collided = list?.collisions.get(prefixed);
  if (collided) return { ok: false, message: collisionMessage(`name "${prefixed}"`, collided) };
  const owner = list?.owners.get(prefixed);
  if (owner && servers.includes(owner.server)) return { ok: true, ...owner };
  // Its server is gone: another server whose name also prefixes it must not take its place.
  if (owner) return { ok: false, message: `The server "${owner.server}" that offered "${prefixed}" is no longer connected; start a new session to reach it.` };
  const candidates = servers.filter((server) => prefixed.length > server.length + NAME_SEPARATOR.length && prefixed.startsWith(prefixedName(server, '')));
  if (candidates.length === 1) return { ok: true, server: candidates[0], name: prefixed.slice(prefixedName(candidates[0], '').length) };
  if (candidates.length > 1) return { ok: false, message: collisionMessage(`name "${prefixed}"`, candidates) };
  return {
    ok: false,
    message: `Unknown name "${prefixed}": names on this endpoint are <server>${NAME_SEPARATOR}<name>, and the connected servers are ${quotedList(servers) || 'none'}.`,
  };
}

/**
 * Which server a resource URI belongs to: the server that listed it, otherwise the one server
 * with a matching URI template.
 */
export function routeUri(uri: string, list: MergedList<unknown> | undefined, templates: ReadonlyArray<{ server: string; uriTemplate: string }>): Route {
  const collided = list?.collisions.get(uri);
  if (collided) return { ok: false, message: collisionMessage(`resource "${uri}"`, collided) };
  const owner = list?.owners.get(uri);
  if (owner) return { ok: true, server: owner.server, name: uri };
  const matching = [...new Set(templates.filter((template) => matches(template.uriTemplate, uri)).map((template) => template.server))];
  if (matching.length === 1) return { ok: true, server: matching[0], name: uri };
  if (matching.length > 1) return { ok: false, message: collisionMessage(`resource "${uri}"`, matching) };
  return { ok: false, message: `No connected server offers the resource "${uri}"; resources/list and resources/templates/list show what there is.` };
}

function merge<T extends { name: string }>(
  pages: ReadonlyArray<ServerPage<T>>,
  keyOf: (server: string, item: T) => string,
  ownName: (item: T) => string,
): MergedList<T> {
  const byKey = new Map<string, { server: string; item: T }>();
  const collisions = new Map<string, string[]>();
  for (const { server, items } of pages) {
    for (const item of items) {
      const key = keyOf(server, item);
      const first = byKey.get(key);
      if (!first) byKey.set(key, { server, item });
      else if (first.server !== server) collisions.set(key, [...new Set([...(collisions.get(key) ?? [first.server]), server])]);
    }
  }
  const owners = new Map<string, { server: string; name: string }>();
  const items: T[] = [];
  for (const [key, { server, item }] of byKey) {
    if (collisions.has(key)) continue;
    owners.set(key, { server, name: ownName(item) });
    items.push({ ...item, name: prefixedName(server, item.name) });
  }
  return { items, owners, collisions };
}

function matches(template: string, uri: string): boolean {
  try {
    return new UriTemplate(template).match(uri) !== null;
  } catch {
    return false; // a template the SDK cannot parse routes nothing
  }
}

function collisionMessage(what: string, servers: readonly string[]): string {
  return `The ${what} is offered by more than one server (${quotedList(servers)}), so Airlock refuses it rather than pick one. ` +
    'Connect to each server on its own endpoint, /servers/<name>/mcp, to use it.';
}

function quotedList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(', ');
}
