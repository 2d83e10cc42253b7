// Many concurrent agent sessions against one gateway, with latency and memory figures. Shared by
// the load test in `npm test` (a few hundred sessions) and `npm run load` (a thousand).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { descendants, memoryKiB } from '../bench/proc-stats.js';
import { quantile } from '../bench/stats.js';

export interface LoadOptions {
  /** The gateway's base URL and a client token. */
  url: string;
  token: string;
  /** The server endpoint the sessions use (`/servers/<server>/mcp`). */
  server: string;
  /** The gateway's pid, for its memory and its server processes. */
  gatewayPid: number;
  sessions: number;
  callsPerSession: number;
  /**
   * Sessions being opened at one time (default 50). They all stay open together; opening them in
   * waves keeps a thousand initializes from arriving in the same millisecond, which measures the
   * kernel's listen backlog rather than the gateway.
   */
  connectConcurrency?: number;
}

export interface LoadFigures {
  sessions: number;
  /** Sessions that connected, made every call with the right answer, and closed. */
  completed: number;
  calls: number;
  /** Calls that failed or came back wrong; the first few errors, for the report. */
  failed: number;
  errors: string[];
  connectP50Ms: number;
  connectP99Ms: number;
  callP50Ms: number;
  callP99Ms: number;
  callMaxMs: number;
  wallSeconds: number;
  /** Resident memory of the gateway process: before, at its peak while every session was open, after. */
  gatewayRssMiB: { before: number; peak: number; after: number };
  /** The most server processes the gateway had running at once (stdio: one per session). */
  peakServerProcesses: number;
}

/** An error with its cause (fetch says only "fetch failed"; the socket error is in `cause`). */
function describe(error: unknown): string {
  const { message, cause } = error as { message?: string; cause?: { code?: string; message?: string } };
  return [message ?? String(error), cause && (cause.code ?? cause.message)].filter(Boolean).join(': ');
}

/** Runs at most `concurrency` of the tasks given to it at once. */
function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    while (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

const mib = (kib: number | undefined) => Math.round(((kib ?? 0) / 1024) * 10) / 10;
const round = (ms: number | undefined) => Math.round((ms ?? NaN) * 10) / 10;

/**
 * Opens `sessions` agent sessions at once (all of them are open together), then has each make
 * `callsPerSession` echo calls, then closes them all. Every answer is checked.
 */
export async function runAgentLoad(options: LoadOptions): Promise<LoadFigures> {
  const { url, token, server, gatewayPid, sessions, callsPerSession } = options;
  const errors: string[] = [];
  const fail = (what: string, error: unknown) => void (errors.length < 5 && errors.push(`${what}: ${describe(error)}`));
  const before = memoryKiB(gatewayPid)?.rss;
  let peakRss = before ?? 0;
  let peakServers = 0;
  const sample = () => {
    peakRss = Math.max(peakRss, memoryKiB(gatewayPid)?.rss ?? 0);
    peakServers = Math.max(peakServers, descendants(gatewayPid).length);
  };
  const sampler = setInterval(sample, 250);
  const started = performance.now();

  const connectMs: number[] = [];
  const transports: StreamableHTTPClientTransport[] = [];
  const waves = limiter(options.connectConcurrency ?? 50);
  const clients = await Promise.all(
    Array.from({ length: sessions }, (_, index) => waves(async () => {
      const client = new Client({ name: `load-${index}`, version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(`/servers/${server}/mcp`, url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      });
      transports.push(transport);
      const t0 = performance.now();
      try {
        await client.connect(transport);
        connectMs.push(performance.now() - t0);
        return client;
      } catch (error) {
        fail(`session ${index} connect`, error);
        return undefined;
      }
    })),
  );
  sample();

  const callMs: number[] = [];
  let failed = 0;
  const good = await Promise.all(
    clients.map(async (client, index) => {
      if (!client) return false;
      let ok = true;
      for (let call = 0; call < callsPerSession; call++) {
        const text = `session ${index} call ${call}`;
        const t0 = performance.now();
        try {
          // A generous client timeout: on a starved machine a call may wait long, and that shows in p99.
          const result = await client.callTool({ name: 'echo', arguments: { text } }, undefined, { timeout: 300_000 });
          callMs.push(performance.now() - t0);
          const answer = (result.content as Array<{ text?: string }>)[0]?.text;
          if (answer !== text) throw new Error(`wrong answer ${JSON.stringify(answer)}`);
        } catch (error) {
          failed += 1;
          ok = false;
          fail(`session ${index} call ${call}`, error);
        }
      }
      return ok;
    }),
  );
  sample();
  // DELETE, as a well-behaved agent ends its session: the gateway then stops that session's server.
  await Promise.all(transports.map((transport) => transport.terminateSession().catch((error) => fail('end session', error))));
  await Promise.all(clients.map((client) => client?.close().catch((error) => fail('close', error))));
  clearInterval(sampler);
  const wallSeconds = (performance.now() - started) / 1000;

  return {
    sessions,
    completed: good.filter(Boolean).length,
    calls: sessions * callsPerSession,
    failed,
    errors,
    connectP50Ms: round(quantile(connectMs, 0.5)),
    connectP99Ms: round(quantile(connectMs, 0.99)),
    callP50Ms: round(quantile(callMs, 0.5)),
    callP99Ms: round(quantile(callMs, 0.99)),
    callMaxMs: round(quantile(callMs, 1)),
    wallSeconds: Math.round(wallSeconds * 10) / 10,
    gatewayRssMiB: { before: mib(before), peak: mib(peakRss), after: mib(memoryKiB(gatewayPid)?.rss) },
    peakServerProcesses: peakServers,
  };
}
