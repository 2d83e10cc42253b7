import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthView, ProtectionView } from '../../../src-gateway/control/contract.js';
import { control, type PendingApprovalView } from '../../helpers/control-client.js';
import { fixtureCommand, queryStore, runCli, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';
import { openEventStream } from './events-stream.js';

const scratch = mkdtempSync(join(tmpdir(), 'airlock-protection-'));
const policyFile = join(scratch, 'policy.json');
const POLICY = {
  rules: [
    { id: 'ask-whoami', match: { tool: 'whoami' }, action: 'approve', reason: 'Identity checks need a human', timeoutSeconds: 60 },
    { id: 'no-crash', match: { tool: 'crash' }, action: 'deny', reason: 'never' },
  ],
};

/** The recorded decision and rule of the latest call of a tool. */
function recorded(gateway: GatewayProcess, tool: string) {
  const rows = queryStore<{ decision: string; rule_id: string }>(
    gateway.dataDir,
    "SELECT decision, rule_id FROM messages WHERE direction = 'to-server' AND kind = 'request' AND tool = ? ORDER BY id DESC LIMIT 1",
    tool,
  );
  return rows[0];
}

describe('pausing protection', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    writeFileSync(policyFile, JSON.stringify(POLICY));
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, policy: policyFile });
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lets a call an approve rule would hold through at once, recorded as allowed by "paused", and asks again once resumed', async () => {
    const stream = await openEventStream(gateway);
    const client = await gateway.connect('probe');
    try {
      expect((await control<ProtectionView>(gateway, 'GET', '/control/protection')).data).toEqual({ pausedUntil: null });
      const paused = await control<ProtectionView>(gateway, 'POST', '/control/protection/pause', { minutes: 15 });
      expect(paused.data.pausedUntil).toBeGreaterThan(Date.now() + 14 * 60_000);
      expect(await stream.next<ProtectionView>('protection-changed')).toEqual(paused.data);
      expect((await control<HealthView>(gateway, 'GET', '/control/health')).data.protection).toEqual(paused.data);

      const result = await client.callTool({ name: 'whoami', arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(recorded(gateway, 'whoami')).toEqual({ decision: 'allow', rule_id: 'paused' });
      // Deny rules still apply while paused.
      const denied = await client.callTool({ name: 'crash', arguments: {} }).catch((error: Error) => error);
      expect(JSON.stringify(denied)).toMatch(/never/);
      expect(recorded(gateway, 'crash')).toEqual({ decision: 'deny', rule_id: 'no-crash' });

      const resumed = await control<ProtectionView>(gateway, 'DELETE', '/control/protection/pause');
      expect(resumed.data).toEqual({ pausedUntil: null });
      expect(await stream.next<ProtectionView>('protection-changed', (view) => view.pausedUntil === null)).toEqual({ pausedUntil: null });

      const held = client.callTool({ name: 'whoami', arguments: {} });
      const [pending] = await waitFor(async () => {
        const list = (await control<PendingApprovalView[]>(gateway, 'GET', '/control/approvals')).data;
        return list.length ? list : undefined;
      }, 'the call to be held again');
      expect(pending).toMatchObject({ tool: 'whoami', ruleId: 'ask-whoami' });
      await control(gateway, 'POST', `/control/approvals/${pending.id}/decision`, { decision: 'allow-once' });
      await held;
      expect(recorded(gateway, 'whoami')).toEqual({ decision: 'approve', rule_id: 'ask-whoami' });
    } finally {
      await stream.close();
    }
  });

  it('refuses a pause of less than a minute', async () => {
    const refused = await control(gateway, 'POST', '/control/protection/pause', { minutes: 0 });
    expect(refused).toMatchObject({ status: 400, ok: false, code: 'invalid' });
  });

  it('records the channel a decision came through', async () => {
    const client = await gateway.connect('probe');
    const held = client.callTool({ name: 'whoami', arguments: {} });
    const [pending] = await waitFor(async () => {
      const list = (await control<PendingApprovalView[]>(gateway, 'GET', '/control/approvals')).data;
      return list.length ? list : undefined;
    }, 'the call to be held');
    await control(gateway, 'POST', `/control/approvals/${pending.id}/decision`, { decision: 'deny', channel: 'notification' });
    await held.catch(() => {});
    expect(queryStore(gateway.dataDir, 'SELECT decision, channel FROM approvals WHERE id = ?', pending.id)).toEqual([{ decision: 'deny', channel: 'notification' }]);
    const unknown = await control(gateway, 'POST', `/control/approvals/${pending.id}/decision`, { decision: 'deny', channel: 'carrier-pigeon' });
    expect(unknown).toMatchObject({ status: 400, code: 'invalid' });
  });

  it('is paused and resumed from the CLI', async () => {
    const args = ['--data-dir', gateway.dataDir];
    const paused = await runCli(['protection', 'pause', '--minutes', '5', ...args]);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toMatch(/^protection is paused until /);
    const status = await runCli(['protection', 'status', '--json', ...args]);
    expect(JSON.parse(status.stdout).pausedUntil).toBeGreaterThan(Date.now());
    const resumed = await runCli(['protection', 'resume', ...args]);
    expect(resumed.stdout).toMatch(/^protection is on/);
    const bad = await runCli(['protection', 'pause', '--minutes', 'soon', ...args]);
    expect(bad.code).toBe(2);
  });
});
