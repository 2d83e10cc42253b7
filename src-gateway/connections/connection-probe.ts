import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../config/config-schema.js';
import type { ConnectionTestView } from '../control/contract.js';
import { PACKAGE_VERSION } from '../package-root.js';
import type { ToolPins } from '../pinning/tool-pins.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { openUpstream, type Upstream } from '../upstream/open-upstream.js';

/** `secrets` resolves the server's `keychain:` references, as for an agent session. */
export interface ProbeOptions {
  pins: ToolPins;
  secrets: SecretStore;
  timeoutMs: number;
}

/** Lines of a server's stderr kept for the error report: the end is where a crash explains itself. */
const STDERR_LINES = 5;
/** Pages of tools/list followed; a server that never stops paging is reported, not followed forever. */
const MAX_PAGES = 100;

/**
 * Connects to a server as an agent session would (same launch, same secrets), runs initialize and
 * tools/list, and closes it. Tools are matched against the pins without pinning anything. A server
 * that fails is reported with its own words: the spawn error, its last stderr lines, the HTTP status.
 * As in a session, the credentials Airlock injected are cut from all of it (the report reaches the
 * control API and the window), and the pins see the tools an agent session would see.
 */
export async function probeConnection(name: string, server: ServerConfig, { pins, secrets, timeoutMs }: ProbeOptions): Promise<ConnectionTestView> {
  const at = Date.now();
  const started = performance.now();
  const stderr: string[] = [];
  // One deadline for the whole exchange; the SDK's own per-request timeout is a minute.
  const signal = AbortSignal.timeout(timeoutMs);
  const request = { signal, timeout: timeoutMs };
  const client = new Client({ name: 'airlock-connection-test', version: PACKAGE_VERSION });
  let upstream: Upstream | undefined;
  try {
    upstream = await beforeDeadline(
      openUpstream(server, secrets, (line) => {
        stderr.push(line);
        if (stderr.length > STDERR_LINES) stderr.shift();
      }),
      signal,
    );
    await client.connect(scrubbed(upstream), request);
    const tools = client.getServerCapabilities()?.tools ? await listAllTools(client, request) : [];
    const states = pins.preview(name, tools);
    const info = client.getServerVersion();
    return {
      ok: true,
      at,
      durationMs: Math.round(performance.now() - started),
      ...(info && { serverInfo: { name: info.name, version: info.version } }),
      tools: tools.map((tool, index) => ({ name: tool.name, ...(tool.description !== undefined && { description: tool.description }), pin: states[index] })),
    };
  } catch (error) {
    const waited = upstream ? `no answer within ${timeoutMs / 1000} s` : `its secrets could not be read within ${timeoutMs / 1000} s (is the keychain waiting to be unlocked?)`;
    const reason = signal.aborted ? waited : describe(error);
    const report = stderr.length ? `${reason}. The server wrote: ${stderr.join(' | ')}` : reason;
    return {
      ok: false,
      at,
      durationMs: Math.round(performance.now() - started),
      error: upstream ? upstream.scrubText(report) : report,
      tools: [],
    };
  } finally {
    await upstream?.close().catch(() => {});
  }
}

/**
 * `opening`, or the deadline if it comes first. Abandoning a secret read that waits for a keychain
 * prompt leaks nothing: an upstream opened late was never started.
 */
function beforeDeadline<T>(opening: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    opening.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * The upstream's transport as the probe's client sees it: every server message scrubbed before it is
 * read. A message that cannot be scrubbed (nested too deep to encode) is dropped, never read as is.
 */
function scrubbed({ transport, scrub, setProtocolVersion }: Upstream): Transport {
  const outer: Transport = {
    start: () => transport.start(),
    send: (message, options) => transport.send(message, options),
    close: () => transport.close(),
    setProtocolVersion,
  };
  transport.onclose = () => outer.onclose?.();
  transport.onerror = (error) => outer.onerror?.(error);
  transport.onmessage = (message, extra) => {
    let clean: JSONRPCMessage;
    try {
      clean = scrub(message);
    } catch {
      return outer.onerror?.(new Error('the server sent a message too deeply nested to check for secrets; dropped'));
    }
    outer.onmessage?.(clean, extra);
  };
  return outer;
}

async function listAllTools(client: Client, request: RequestOptions): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await client.listTools(cursor === undefined ? {} : { cursor }, request);
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined) return tools;
  }
  throw new Error(`tools/list went on for more than ${MAX_PAGES} pages`);
}

/** The error as the server or the system put it; `fetch failed` alone would hide the real cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = error instanceof StreamableHTTPError && (error.code ?? 0) > 0 ? `HTTP ${error.code}: ` : '';
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${status}${error.message}${cause}`;
}
