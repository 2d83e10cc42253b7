import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { mergeByName, mergeByUri, type MergedList, type ServerPage } from './aggregate-names.js';

/** An entry of a server's list: a tool, prompt, resource or resource template. */
export type Listed = { name: string; uri?: string; uriTemplate?: string } & Record<string, unknown>;

/**
 * The lists the aggregate endpoint merges: where each answer keeps its entries, which server
 * capability offers it, and how entries are told apart (resources by URI, the rest by name).
 */
export const CATALOGS = {
  'tools/list': { key: 'tools', capability: 'tools', merge: byName },
  'prompts/list': { key: 'prompts', capability: 'prompts', merge: byName },
  'resources/list': { key: 'resources', capability: 'resources', merge: byUri },
  'resources/templates/list': { key: 'resourceTemplates', capability: 'resources', merge: byName },
} as const;

export type CatalogMethod = keyof typeof CATALOGS;

/** Requests about one resource, routed to the server that offers its URI. */
export const URI_METHODS: ReadonlySet<string> = new Set(['resources/read', 'resources/subscribe', 'resources/unsubscribe']);

export function isCatalogMethod(method: string): method is CatalogMethod {
  return Object.hasOwn(CATALOGS, method);
}

/** The notification a server sends when this list changed. */
export function listChangedOf(method: CatalogMethod): string {
  return `notifications/${CATALOGS[method].capability}/list_changed`;
}

/** The merged templates as routes for URIs no server listed. */
export function templateRoutes(templates: MergedList<Listed>): Array<{ server: string; uriTemplate: string }> {
  return templates.items.flatMap((item) => {
    const owner = templates.owners.get(item.name);
    return owner && typeof item.uriTemplate === 'string' ? [{ server: owner.server, uriTemplate: item.uriTemplate }] : [];
  });
}

function byName(pages: ReadonlyArray<ServerPage<Listed>>): MergedList<Listed> {
  return mergeByName(pages);
}

function byUri(pages: ReadonlyArray<ServerPage<Listed>>): MergedList<Listed> {
  // Entries without a URI cannot be read, so they are not offered.
  return mergeByUri(pages.map(({ server, items }) => ({ server, items: items.filter((item): item is Listed & { uri: string } => typeof item.uri === 'string') })));
}

/** Enough pages for any real list; a server that pages forever is cut off. */
const MAX_PAGES = 100;

/**
 * One server's whole list under `key` (`tools`, `resources`…), following `nextCursor`; `ask` sends
 * one page's request. A failed or refused page ends the list; what came before still counts.
 */
export async function listAll(ask: (params: { cursor?: string }) => Promise<JSONRPCMessage | undefined>, key: string): Promise<Listed[]> {
  const items: Listed[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await ask(cursor === undefined ? {} : { cursor });
    if (!answer || !('result' in answer)) break;
    const result = answer.result as Record<string, unknown>;
    if (Array.isArray(result[key])) items.push(...(result[key] as Listed[]));
    cursor = typeof result.nextCursor === 'string' ? result.nextCursor : undefined;
    if (cursor === undefined) break;
  }
  return items;
}
