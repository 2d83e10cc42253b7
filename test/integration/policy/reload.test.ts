import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyView } from '../../../src-gateway/control/contract.js';
import { control } from '../../helpers/control-client.js';
import { fixtureCommand, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;
const denyEcho = (id: string) => ({ rules: [{ id, match: { tool: 'echo' }, action: 'deny', reason: `blocked by ${id}` }] });

describe('policy reload', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'airlock-reload-'));
  const policyFile = join(scratch, 'policy.yaml');
  let gateway: GatewayProcess;

  beforeAll(async () => {
    writeFileSync(policyFile, 'rules: []\n');
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, policy: policyFile });
  });
  afterAll(async () => gateway?.stop());

  it('applies a changed policy file without dropping the session, and keeps the last good one when the new file is invalid', async () => {
    const client = await gateway.connect('probe');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'before' } }))).toBe('before');

    writeFileSync(policyFile, JSON.stringify(denyEcho('first')));
    await waitFor(async () => (await client.callTool({ name: 'echo', arguments: { text: 'x' } })).isError, 'the new rule to apply');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toMatch(/rule first/);

    writeFileSync(policyFile, 'rules:\n  - id: broken\n    action: maybe\n');
    const policyError = async () => (await control<PolicyView>(gateway, 'GET', '/control/policy')).data.status.error;
    await waitFor(policyError, 'the reload error to be reported');
    expect(await policyError()).toMatch(/rules\.0\.action/);
    // The last good policy stays in force, and the same session still works.
    expect(textOf(await client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toMatch(/rule first/);
    expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toMatch(/pid/);
  });
});

describe('no valid policy at all', () => {
  let gateway: GatewayProcess;
  beforeAll(async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'airlock-failclosed-'));
    writeFileSync(join(scratch, 'policy.json'), '{"rules": [{"id": "x", "action": "allow", "match": {"tool": 5}}]}');
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, policy: join(scratch, 'policy.json') });
  });
  afterAll(async () => gateway?.stop());

  it('refuses every call, saying why, and says so at start', async () => {
    expect(gateway.output()).toMatch(/NOT LOADED/);
    const client = await gateway.connect('probe');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'x' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/no valid policy/);
  });
});
