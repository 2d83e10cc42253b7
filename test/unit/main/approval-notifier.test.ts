import { describe, expect, it, vi } from 'vitest';
import type { ControlEvents } from '../../../src-gateway/control/contract.js';
import { ApprovalNotifier, approvalNotification, type ApprovalNotifierOptions, type NotificationActionId, type Notifier } from '../../../src-main/approval-notifier.js';

const approval = (id: string, args: unknown = { path: '/tmp/x' }): ControlEvents['approval-pending'] => ({
  id,
  sessionId: 's',
  server: 'files',
  method: 'tools/call',
  tool: 'delete_file',
  client: 'local',
  arguments: args,
  binding: 'b'.repeat(64),
  reason: 'Deleting needs a human',
  createdAt: 0,
  expiresAt: 1,
});

function setup(decide: ApprovalNotifierOptions['decide'] = vi.fn(async () => ({ ok: true as const, data: {} }))) {
  const handles: Array<{ id: string; closed: boolean; act?: (action: NotificationActionId) => void }> = [];
  const notifier: Notifier = {
    show(spec) {
      const entry: (typeof handles)[number] = { id: spec.tag, closed: false };
      handles.push(entry);
      return { onAction: (fn) => void (entry.act = fn), onClick() {}, close: () => void (entry.closed = true) };
    },
  };
  const openWindow = vi.fn();
  return { handles, decide, openWindow, approvals: new ApprovalNotifier({ notifier, decide, openWindow }) };
}

describe('ApprovalNotifier', () => {
  it('builds the notification from the tool, server and argument summary, with Allow and Deny', () => {
    expect(approvalNotification(approval('a1'))).toEqual({
      tag: 'approval-a1',
      title: 'Approve delete_file on files?',
      body: 'path: "/tmp/x"',
      actions: [
        { id: 'allow', label: 'Allow' },
        { id: 'deny', label: 'Deny' },
      ],
    });
  });

  it('shows each pending approval once, and closes it when resolved anywhere', () => {
    const { approvals, handles } = setup();
    approvals.handleEvent({ type: 'approval-pending', data: approval('a1') });
    approvals.handleEvent({ type: 'approval-pending', data: approval('a1') });
    expect(handles).toHaveLength(1);
    approvals.handleEvent({ type: 'approval-resolved', data: { id: 'a1', decision: 'deny', channel: 'window' } });
    expect(handles[0].closed).toBe(true);
  });

  it('after a reconnect shows what is newly pending and closes what no longer is', () => {
    const { approvals, handles } = setup();
    approvals.handleEvent({ type: 'approval-pending', data: approval('old') });
    approvals.sync([approval('new')]);
    expect(handles.map((entry) => [entry.id, entry.closed])).toEqual([
      ['approval-old', true],
      ['approval-new', false],
    ]);
    expect(approvals.open).toEqual(['new']);
  });

  it('opens the window when answering fails for a reason other than the call being gone', async () => {
    const decide = vi.fn<ApprovalNotifierOptions['decide']>(async () => ({ ok: false, code: 'unavailable', message: 'down' }));
    const { approvals, handles, openWindow } = setup(decide);
    approvals.handleEvent({ type: 'approval-pending', data: approval('a1') });
    handles[0].act!('allow');
    await vi.waitFor(() => expect(openWindow).toHaveBeenCalledWith('/approvals?focus=a1'));
    expect(decide).toHaveBeenCalledWith('a1', 'allow-once', 'b'.repeat(64));
  });
});
