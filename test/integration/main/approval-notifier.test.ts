import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalNotifier, type NotificationActionId, type NotificationSpec, type Notifier } from '../../../src-main/approval-notifier.js';
import { ControlConnection } from '../../../src-main/control-connection.js';
import { control } from '../../helpers/control-client.js';
import { fixtureCommand, queryStore, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

// Runs the compiled gateway (bin/airlock.js → dist/): `npm test` builds it first (pretest).

const scratch = mkdtempSync(join(tmpdir(), 'airlock-notify-'));
const policyFile = join(scratch, 'policy.json');
const POLICY = { rules: [{ id: 'ask-echo', match: { tool: 'echo' }, action: 'approve', reason: 'Echo needs a human', timeoutSeconds: 60 }] };
const EMAIL = 'alice.smith@example.com';
const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;

/** A Notifier that records what it shows and lets the test press its buttons. */
function recordingNotifier() {
  const shown: Array<{ spec: NotificationSpec; closed: boolean; act(action: NotificationActionId): void; click(): void }> = [];
  const notifier: Notifier = {
    show(spec) {
      const actions: Array<(action: NotificationActionId) => void> = [];
      const clicks: Array<() => void> = [];
      const entry = { spec, closed: false, act: (action: NotificationActionId) => actions.forEach((fn) => fn(action)), click: () => clicks.forEach((fn) => fn()) };
      shown.push(entry);
      return { onAction: (fn) => void actions.push(fn), onClick: (fn) => void clicks.push(fn), close: () => void (entry.closed = true) };
    },
  };
  return { notifier, shown };
}

describe('approval notifications against the real gateway', () => {
  let gateway: GatewayProcess;
  let connection: ControlConnection;
  const recorder = recordingNotifier();
  const opened: string[] = [];
  let approvals: ApprovalNotifier;

  beforeAll(async () => {
    writeFileSync(policyFile, JSON.stringify(POLICY));
    gateway = await startGatewayProcess({ servers: { probe: fixtureCommand('probe-server.ts') }, policy: policyFile });
    connection = new ControlConnection({ reconnectFirstMs: 50 });
    connection.setEndpoint({ url: gateway.url, token: readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim() });
    approvals = new ApprovalNotifier({
      notifier: recorder.notifier,
      decide: (id, decision, binding) => connection.call('decideApproval', { params: { id }, body: { decision, channel: 'notification', binding } }),
      openWindow: (route) => opened.push(route),
    });
    connection.onEvent((event) => approvals.handleEvent(event));
    connection.start();
    await waitFor(() => connection.isConnected, 'the event feed');
  });
  afterAll(async () => {
    await connection?.close();
    await gateway?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  const nextNotification = (count: number) => waitFor(() => recorder.shown[count - 1], `notification ${count}`);
  const idOf = (spec: NotificationSpec) => spec.tag.replace(/^approval-/, '');

  it('shows the tool, server and masked arguments, opens the Approvals page on click, and Allow lets the call through', async () => {
    const client = await gateway.connect('probe');
    const call = client.callTool({ name: 'echo', arguments: { text: `write to ${EMAIL} today`, count: 2 } });
    const shown = await nextNotification(1);
    expect(shown.spec.title).toBe('Approve echo on probe?');
    expect(shown.spec.body).toMatch(/^text: "write to .+ today", count: 2$/);
    expect(JSON.stringify(shown.spec)).not.toContain('alice.smith');
    expect(shown.spec.actions.map((action) => action.label)).toEqual(['Allow', 'Deny']);

    const id = idOf(shown.spec);
    shown.click();
    expect(opened).toEqual([`/approvals?focus=${encodeURIComponent(id)}`]);

    shown.act('allow');
    const result = await call;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('today');
    await waitFor(() => shown.closed, 'the notification to close');
    const [record] = queryStore<{ decision: string; channel: string }>(gateway.dataDir, 'SELECT decision, channel FROM approvals WHERE id = ?', id);
    expect(record).toEqual({ decision: 'allow-once', channel: 'notification' });
  });

  it('Deny tells the agent a person denied the call', async () => {
    const client = await gateway.connect('probe');
    const call = client.callTool({ name: 'echo', arguments: { text: 'no' } });
    const shown = await nextNotification(2);
    shown.act('deny');
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/A person denied this call/);
    const [record] = queryStore<{ decision: string; channel: string }>(gateway.dataDir, 'SELECT decision, channel FROM approvals WHERE id = ?', idOf(shown.spec));
    expect(record).toEqual({ decision: 'deny', channel: 'notification' });
  });

  it('closes the notification when the call is answered elsewhere', async () => {
    const client = await gateway.connect('probe');
    const call = client.callTool({ name: 'echo', arguments: { text: 'answered in the window' } });
    const shown = await nextNotification(3);
    expect(shown.closed).toBe(false);
    const answered = await control(gateway, 'POST', `/control/approvals/${idOf(shown.spec)}/decision`, { decision: 'allow-once', channel: 'window' });
    expect(answered.ok).toBe(true);
    await call;
    await waitFor(() => shown.closed, 'the notification to close');
    expect(approvals.open).toEqual([]);
  });
});
