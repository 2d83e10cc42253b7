import type { ServerConfig } from '../config/config-schema.js';

/** Where a client's config is looked for: passed in, so tests use a temp HOME. */
export interface ClientPlace {
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
}

/** What an entry pointing at Airlock needs, computed once by the command. */
export interface AirlockTarget {
  /** `http://127.0.0.1:7400/mcp`, or `…/servers/<server>/mcp` for one server */
  endpoint: string;
  token: string;
  /** The stdio front (`airlock connect [<server>]`), for clients that only launch commands. */
  command: string;
  args: string[];
  /** What the command needs in its environment (the desktop app's binary runs the CLI only in Node mode). */
  env: Record<string, string>;
}

/** One agent client: where its MCP config lives and the shape of its entries. */
export interface ClientSpec {
  id: string;
  label: string;
  configPath(place: ClientPlace): string;
  /** The top-level key holding the server entries. */
  serversKey: 'mcpServers' | 'servers';
  /** Whether the file may hold comments (JSONC), as VS Code's does. */
  comments: boolean;
  airlockEntry(target: AirlockTarget): Record<string, unknown>;
}

/** The entry for the aggregate endpoint (`/mcp`, every server at once). */
export const AGGREGATE_ENTRY = 'airlock';

/** Entries for one server are named `airlock-<server>`; others are the client's own. */
export const ENTRY_PREFIX = 'airlock-';

/** Whether an entry is one Airlock wrote: the aggregate one or a per-server one. */
export function isAirlockEntry(name: string): boolean {
  return name === AGGREGATE_ENTRY || name.startsWith(ENTRY_PREFIX);
}

export class ClientConfigError extends Error {
  override name = 'ClientConfigError';
}

type Doc = Record<string, unknown>;

const isObject = (value: unknown): value is Doc => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The server entries of a parsed config (empty when it has none yet). */
export function entriesOf(doc: Doc, spec: ClientSpec): Doc {
  const servers = doc[spec.serversKey];
  if (servers === undefined) return {};
  if (!isObject(servers)) throw new ClientConfigError(`"${spec.serversKey}" is not an object; fix the file first`);
  return servers;
}

/** The config with `entry` set under `name`; every other key and entry kept, in its place. */
export function withEntry(doc: Doc, spec: ClientSpec, name: string, entry: unknown): Doc {
  const servers = entriesOf(doc, spec);
  return { ...doc, [spec.serversKey]: { ...servers, [name]: entry } };
}

/** The config without the entry `name`. */
export function withoutEntry(doc: Doc, spec: ClientSpec, name: string): Doc {
  const servers = { ...entriesOf(doc, spec) };
  delete servers[name];
  return { ...doc, [spec.serversKey]: servers };
}

/** Names of the entries that go through Airlock. */
export function airlockEntries(doc: Doc, spec: ClientSpec): string[] {
  return Object.keys(entriesOf(doc, spec)).filter(isAirlockEntry);
}

export interface DirectServer {
  name: string;
  server: ServerConfig;
}

/**
 * The client's own server entries that Airlock could front: stdio (`command`, `args`, `env`) or
 * HTTP (`url`, or Windsurf's `serverUrl`, with `headers`). Entries it cannot read are left out.
 */
export function directServers(doc: Doc, spec: ClientSpec): DirectServer[] {
  const found: DirectServer[] = [];
  for (const [name, entry] of Object.entries(entriesOf(doc, spec))) {
    if (isAirlockEntry(name) || !isObject(entry)) continue;
    const server = asServer(entry);
    if (server) found.push({ name, server });
  }
  return found;
}

function asServer(entry: Doc): ServerConfig | undefined {
  const strings = (value: unknown) => (isObject(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<string, string> : {});
  if (typeof entry.command === 'string') {
    const args = Array.isArray(entry.args) ? entry.args.filter((arg): arg is string => typeof arg === 'string') : [];
    return { command: entry.command, args, env: strings(entry.env), ...(typeof entry.cwd === 'string' ? { cwd: entry.cwd } : {}) };
  }
  const url = typeof entry.url === 'string' ? entry.url : typeof entry.serverUrl === 'string' ? entry.serverUrl : undefined;
  return url === undefined ? undefined : { url, headers: strings(entry.headers) };
}

/** `{ url, headers }`, the Streamable HTTP entry most clients read. */
export function httpEntry({ endpoint, token }: AirlockTarget): Record<string, unknown> {
  return { url: endpoint, headers: { Authorization: `Bearer ${token}` } };
}
