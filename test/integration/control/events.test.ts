import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallView, PolicyStatusView, SessionView } from '../../../src-gateway/control/contract.js';
import type { PendingApproval } from '../../../src-gateway/approvals/approval-types.js';
import { control } from '../../helpers/control-client.js';
import { fixtureCommand, startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';
import { openEventStream } from './events-stream.js';

const scratch = mkdtempSync(join(tmpdir(), 'airlock-events-'));
const policyFile = join(scratch, 'policy.json');
const POLICY = { rules: [{ id: 'ask-whoami', match: { tool: 'whoami' }, action: 'approve', reason: 'Identity checks need a human', timeoutSeconds: 30 }] };

describe('the live event stream', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    writeFileSync(policyFile, JSON.stringify(POLICY));
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, policy: policyFile });
  });
  afterAll(async () => {
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('refuses to stream without the control token', async () => {
    const response = await fetch(new URL('/control/events', gateway.url));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('streams sessions, calls and approvals as they happen', async () => {
    const stream = await openEventStream(gateway);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toBe('text/event-stream');
      expect(stream.response.headers.get('cache-control')).toBe('no-store');

      const client = await gateway.connect('probe', { name: 'live-agent' });
      const opened = await stream.next<SessionView>('session-opened');
      expect(opened).toMatchObject({ server: 'probe', client: 'test', agent: 'live-agent 1.0.0', endedAt: null });
      expect(stream.comments[0]).toBe(': connected');

      await client.callTool({ name: 'echo', arguments: { text: 'live' } });
      const isEcho = (call: CallView) => call.tool === 'echo';
      const recorded = await stream.next<CallView>('call', isEcho);
      const answered = await stream.next<CallView>('call', isEcho);
      expect(recorded).toMatchObject({ sessionId: opened.id, method: 'tools/call', status: 'pending', decision: 'allow' });
      expect(answered).toMatchObject({ id: recorded.id, status: 'allowed', durationMs: expect.any(Number) });

      const held = client.callTool({ name: 'whoami', arguments: {} });
      const pending = await stream.next<PendingApproval>('approval-pending');
      expect(pending).toMatchObject({ sessionId: opened.id, tool: 'whoami', ruleId: 'ask-whoami', reason: 'Identity checks need a human' });
      // Held, the call is not recorded yet: no call event for it until someone decides.
      expect(stream.received.some((item) => item.event === 'call' && (item.data as CallView).tool === 'whoami')).toBe(false);
      await control(gateway, 'POST', `/control/approvals/${pending.id}/decision`, { decision: 'deny', reason: 'not now' });
      expect(await stream.next('approval-resolved')).toEqual({ id: pending.id, decision: 'deny', channel: 'control-api' });
      expect(await stream.next<CallView>('call', (call) => call.tool === 'whoami')).toMatchObject({ status: 'denied', decision: 'deny', ruleId: 'ask-whoami' });
      await held;

      await (client.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
      expect(await stream.next('session-closed', (data: { id: string }) => data.id === opened.id)).toEqual({ id: opened.id, reason: 'closed by agent' });
    } finally {
      await stream.close();
    }
  });

  it('tells every open stream when the policy is reloaded', async () => {
    const [first, second] = [await openEventStream(gateway), await openEventStream(gateway)];
    try {
      writeFileSync(policyFile, JSON.stringify({ rules: [...POLICY.rules, { id: 'ask-slow', match: { tool: 'slow' }, action: 'approve', reason: 'slow' }] }));
      for (const stream of [first, second]) {
        expect(await stream.next<PolicyStatusView>('policy-reloaded')).toMatchObject({ source: policyFile, ruleCount: expect.any(Number) });
      }
    } finally {
      await first.close();
      await second.close();
    }
  });
});
