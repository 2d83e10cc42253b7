// SDK client sessions over the transports the bench uses, each connect and close bounded in time.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { adoptPid, childEnvironment, stopTree } from './children.js';

export const START_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 3000;

/** An MCP client session over one path. */
export interface Session {
  client: Client;
  close(): Promise<void>;
}

/** Rejects with a message naming `what` if `promise` has not settled after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function newClient(): Client {
  return new Client({ name: 'airlock-bench', version: '1.0.0' });
}

/**
 * fetch with a fresh signal per request that still follows the transport's own. The transport hands the
 * same AbortSignal to every fetch, and undici keeps a listener on it until the request is garbage
 * collected: after ~1500 calls every further call prints a MaxListenersExceededWarning with a stack
 * trace, which taxes the client of every HTTP path (and the bench's numbers) for nothing.
 */
const fetchWithOwnSignal: typeof fetch = (input, init) =>
  fetch(input, init?.signal ? { ...init, signal: AbortSignal.any([init.signal]) } : init);

/** Connects an SDK client over Streamable HTTP to `url`. */
export async function connectHttp(url: string, headers: Record<string, string> = {}): Promise<Session> {
  const client = newClient();
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers }, fetch: fetchWithOwnSignal });
  await withTimeout(client.connect(transport), START_TIMEOUT_MS, `connecting to ${url}`);
  return {
    client,
    async close() {
      // DELETE ends the session server-side, so a stateful proxy lets go of its upstream child.
      await withTimeout(transport.terminateSession(), CLOSE_TIMEOUT_MS, 'terminating the session').catch(() => {});
      await withTimeout(client.close(), CLOSE_TIMEOUT_MS, 'closing the client').catch(() => {});
    },
  };
}

/** Spawns `server` and connects an SDK client to it over stdio. */
export async function connectStdio(server: { command: string; args: string[] }, cwd: string): Promise<Session> {
  const client = newClient();
  const transport = new StdioClientTransport({ ...server, cwd, env: childEnvironment(), stderr: 'inherit' });
  await withTimeout(client.connect(transport), START_TIMEOUT_MS, 'connecting over stdio');
  const pid = transport.pid;
  if (pid !== null) adoptPid(pid);
  return {
    client,
    async close() {
      await withTimeout(client.close(), CLOSE_TIMEOUT_MS, 'closing the client').catch(() => {});
      if (pid !== null) await stopTree(pid);
    },
  };
}
