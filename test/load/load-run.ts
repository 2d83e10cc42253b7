// `npm run load`: a thousand agent sessions open at once against a stdio server (a thousand server
// processes) and then against a Streamable HTTP server, through one real gateway; prints the figures.
//   npm run load -- [sessions] [calls per session] [rounds]
// With several rounds each upstream is loaded again and again: the gateway's memory after a forced
// GC, printed after every round, grows round by round if sessions leak and levels off if not.
import { descendants } from '../bench/proc-stats.js';
import { startGatewayProcess, waitFor } from '../helpers/gateway-process.js';
import { runAgentLoad } from './agent-load.js';
import { GC_ENV, memoryAfterGc } from './gateway-gc.js';
import { startHttpProbe, stopProcess, TINY_STDIO_SERVER } from './load-servers.js';

const sessions = Number(process.argv[2] ?? 1000);
const callsPerSession = Number(process.argv[3] ?? 5);
const rounds = Number(process.argv[4] ?? 1);

const probe = await startHttpProbe(0, { PROBE_KEEPALIVE_MS: '65000' });
const gateway = await startGatewayProcess({ servers: { tiny: TINY_STDIO_SERVER, remote: { url: probe.url } } }, { AIRLOCK_LOG_LEVEL: 'warn', ...GC_ENV });
let failed = false;
try {
  process.stdout.write(`gateway memory after GC at the start: ${JSON.stringify(await memoryAfterGc(gateway))}\n`);
  for (const server of ['tiny', 'remote']) {
    for (let round = 1; round <= rounds; round++) {
      const figures = await runAgentLoad({ url: gateway.url, token: gateway.token, server, gatewayPid: gateway.child.pid!, sessions, callsPerSession });
      failed ||= figures.completed !== sessions;
      await waitFor(() => descendants(gateway.child.pid!).length === 0, 'every server process to exit', 60_000);
      const afterGc = await memoryAfterGc(gateway);
      process.stdout.write(`${server === 'tiny' ? 'stdio' : 'Streamable HTTP'} upstream, round ${round}: ${JSON.stringify({ ...figures, gatewayAfterGc: afterGc }, null, 2)}\n`);
    }
  }
} finally {
  await gateway.stop();
  await stopProcess(probe.child);
}
process.exitCode = failed ? 1 : 0;
