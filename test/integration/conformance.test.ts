// Protocol transparency: the MCP conformance suite (server scenarios) gives the same result, check by
// check, against a conformance-capable server directly and through the Airlock gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceServer, type ConformanceServer } from '../helpers/conformance-processes.js';
import {
  ensureConformanceRunner,
  failures,
  listServerScenarios,
  runServerScenarios,
  verdicts,
  type SuiteRun,
} from '../helpers/conformance-suite.js';
import { fixtureCommand, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';

describe('protocol transparency under the MCP conformance suite', () => {
  let server: ConformanceServer | undefined;
  let scenarios: string[];
  let direct: SuiteRun;

  beforeAll(async () => {
    // A fresh clone has only the root installed; the suite comes from its own package.
    await ensureConformanceRunner();
    scenarios = await listServerScenarios();
    server = await startConformanceServer();
    direct = await runServerScenarios(server.url);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('runs every server scenario against the conformance server, which passes them all', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    expect([...direct.keys()].sort()).toEqual([...scenarios].sort());
    expect(failures(direct)).toEqual([]);
  });

  const upstreams: [string, () => Record<string, unknown>][] = [
    ['Streamable HTTP', () => ({ url: server!.url })],
    ['stdio', () => fixtureCommand('conformance-server.ts', '--stdio')],
  ];

  it.each(upstreams)(
    'gives the direct result, scenario by scenario, through the gateway to a %s upstream',
    async (_kind, upstream) => {
      let gateway: GatewayProcess | undefined;
      try {
        // The suite's client never sends DELETE: a short idle limit stops each abandoned session's server.
        gateway = await startGatewayProcess({ servers: { conf: upstream() }, limits: { sessionIdleSeconds: 3 } });
        const throughGateway = await runServerScenarios(gateway.agentUrl('conf').href, { bearer: gateway.token });
        expect(
          verdicts(throughGateway),
          `failed checks through the gateway:\n${failures(throughGateway).join('\n')}`,
        ).toEqual(verdicts(direct));
      } finally {
        await gateway?.stop();
      }
    },
    120_000,
  );
});
