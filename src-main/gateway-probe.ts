import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a running gateway answers, and the token of its control API (kept in main, never sent to the page). */
export interface GatewayEndpoint {
  url: string;
  token: string;
}

/** How the supervisor tells whether a gateway child is up. */
export interface GatewayProbe {
  /** The endpoint once the child with `pid` has announced itself and answers `/healthz`; else undefined. */
  ready(pid: number): Promise<GatewayEndpoint | undefined>;
  healthy(url: string): Promise<boolean>;
}

// Same names as src-gateway (gateway.ts RUNTIME_FILE, control/contract.ts CONTROL_TOKEN_FILE): main
// does not import the gateway's modules, and these are part of its on-disk contract.
const RUNTIME_FILE = 'runtime.json';
const CONTROL_TOKEN_FILE = 'control-token';

/** Probes a gateway through the files it writes in its data dir and its `/healthz` route. */
export function fileProbe(dataDir: string, requestTimeoutMs = 2_000): GatewayProbe {
  const healthy = async (url: string) => {
    try {
      const res = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(requestTimeoutMs) });
      const body = (await res.json()) as { ok?: unknown };
      return res.ok && body.ok === true;
    } catch {
      return false;
    }
  };
  return {
    healthy,
    async ready(pid) {
      let runtime: { url?: unknown; pid?: unknown };
      let token: string;
      try {
        runtime = JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8'));
        token = (await readFile(join(dataDir, CONTROL_TOKEN_FILE), 'utf8')).trim();
      } catch {
        return undefined;
      }
      // A runtime.json left by a child killed with SIGKILL names that child's pid and a dead port.
      if (runtime.pid !== pid || typeof runtime.url !== 'string' || !token) return undefined;
      return (await healthy(runtime.url)) ? { url: runtime.url, token } : undefined;
    },
  };
}
