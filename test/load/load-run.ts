// `npm run load`: a thousand agent sessions open at once against a stdio server (a thousand server
// processes) and then against a Streamable HTTP server, through one real gateway; prints the figures.
//   npm run load -- [sessions] [calls per session]
import { descendants } from '../bench/proc-stats.js';
import { startGatewayProcess, waitFor } from '../helpers/gateway-process.js';
import { runAgentLoad } from './agent-load.js';
import { startHttpProbe, stopProcess, TINY_STDIO_SERVER } from './load-servers.js';

const sessions = Number(process.argv[2] ?? 1000);
const callsPerSession = Number(process.argv[3] ?? 5);

const probe = await startHttpProbe(0, { PROBE_KEEPALIVE_MS: '65000' });
const gateway = await startGatewayProcess({ servers: { tiny: TINY_STDIO_SERVER, remote: { url: probe.url } } }, { AIRLOCK_LOG_LEVEL: 'warn' });
let failed = false;
try {
  for (const server of ['tiny', 'remote']) {
    const figures = await runAgentLoad({ url: gateway.url, token: gateway.token, server, gatewayPid: gateway.child.pid!, sessions, callsPerSession });
    process.stdout.write(`${server === 'tiny' ? 'stdio' : 'Streamable HTTP'} upstream: ${JSON.stringify(figures, null, 2)}\n`);
    failed ||= figures.completed !== sessions;
    await waitFor(() => descendants(gateway.child.pid!).length === 0, 'every server process to exit', 60_000);
  }
} finally {
  await gateway.stop();
  await stopProcess(probe.child);
}
process.exitCode = failed ? 1 : 0;
