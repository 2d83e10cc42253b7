import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descendants } from '../../bench/proc-stats.js';
import { startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';
import { runAgentLoad } from '../../load/agent-load.js';
import { startHttpProbe, stopProcess, TINY_STDIO_SERVER } from '../../load/load-servers.js';
import type { ChildProcess } from 'node:child_process';

// `npm run load` runs the same with a thousand sessions; this scale still proves the behaviour.
const SESSIONS = 200;
const CALLS = 3;

describe('many concurrent agent sessions', () => {
  let gateway: GatewayProcess;
  let remote: ChildProcess;
  beforeAll(async () => {
    const probe = await startHttpProbe(0, { PROBE_KEEPALIVE_MS: '65000' });
    remote = probe.child;
    gateway = await startGatewayProcess({ servers: { tiny: TINY_STDIO_SERVER, remote: { url: probe.url } } }, { AIRLOCK_LOG_LEVEL: 'warn' });
  });
  afterAll(async () => {
    await gateway?.stop();
    if (remote) await stopProcess(remote);
  });

  it(`completes ${SESSIONS} sessions open at once on a stdio server, each with its own server process, and stops them all after`, async () => {
    const figures = await runAgentLoad({ url: gateway.url, token: gateway.token, server: 'tiny', gatewayPid: gateway.child.pid!, sessions: SESSIONS, callsPerSession: CALLS });
    console.log('load, stdio upstream:', JSON.stringify(figures));
    expect(figures.errors).toEqual([]);
    expect(figures.completed).toBe(SESSIONS);
    expect(figures.peakServerProcesses).toBe(SESSIONS);
    await waitFor(() => descendants(gateway.child.pid!).length === 0, 'every server process to exit');
    expect(await health(gateway)).toMatchObject({ sessions: 0, inFlight: 0 });
  }, 180_000);

  it(`completes ${SESSIONS} sessions open at once on a Streamable HTTP server`, async () => {
    const figures = await runAgentLoad({ url: gateway.url, token: gateway.token, server: 'remote', gatewayPid: gateway.child.pid!, sessions: SESSIONS, callsPerSession: CALLS });
    console.log('load, Streamable HTTP upstream:', JSON.stringify(figures));
    expect(figures.errors).toEqual([]);
    expect(figures.completed).toBe(SESSIONS);
    await waitFor(async () => (await health(gateway)).sessions === 0, 'every session to end');
    expect(await health(gateway)).toMatchObject({ sessions: 0, inFlight: 0 });
  }, 180_000);
});

async function health(gateway: GatewayProcess): Promise<{ sessions: number; inFlight: number }> {
  return (await fetch(new URL('/healthz', gateway.url))).json() as Promise<{ sessions: number; inFlight: number }>;
}
