import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { NotificationActionId } from '../../../src-main/approval-notifier.js';
import { notifySendNotifier, notifySendSupportsActions } from '../../../src-main/notify-send-notifier.js';

// A stand-in for libnotify's notify-send: logs its arguments, prints an id, then the action in $FAKE_ACTION.
const dir = mkdtempSync(join(tmpdir(), 'airlock-notify-send-'));
const fake = join(dir, 'notify-send');
const argsLog = join(dir, 'args.json');
writeFileSync(
  fake,
  `#!${process.execPath}
if (process.argv[2] === '--help') { console.log('--action --wait --print-id'); process.exit(0); }
require('node:fs').writeFileSync(${JSON.stringify(argsLog)}, JSON.stringify(process.argv.slice(2)));
console.log('42');
setTimeout(() => { if (process.env.FAKE_ACTION) console.log(process.env.FAKE_ACTION); }, 20);
setTimeout(() => {}, 5000);
`,
);
chmodSync(fake, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = {
  tag: 'approval-1',
  title: '--urgency=critical',
  body: 'text: "-x"',
  actions: [
    { id: 'allow' as const, label: 'Allow' },
    { id: 'deny' as const, label: 'Deny' },
  ],
};

describe.runIf(process.platform !== 'win32')('the notify-send notifier (Linux actions)', () => {
  it('detects a notify-send that supports actions', () => {
    expect(notifySendSupportsActions(fake)).toBe(true);
    expect(notifySendSupportsActions(join(dir, 'missing'))).toBe(false);
  });

  it('passes normal urgency and actions, keeps title and body out of the options, and reports the action chosen', async () => {
    process.env.FAKE_ACTION = 'deny';
    const closeById = vi.fn();
    try {
      const handle = notifySendNotifier({ command: fake, closeById }).show(spec);
      const chosen = await new Promise<NotificationActionId>((resolve) => handle.onAction(resolve));
      expect(chosen).toBe('deny');
      const args = JSON.parse(readFileSync(argsLog, 'utf8')) as string[];
      expect(args).toContain('--urgency=normal');
      expect(args.slice(args.indexOf('--'))).toEqual(['--', '--urgency=critical', 'text: "-x"']);
      expect(args.slice(0, args.indexOf('--'))).toEqual(expect.arrayContaining(['--wait', '--print-id', '--action=allow=Allow', '--action=deny=Deny']));
      handle.close();
      expect(closeById).toHaveBeenCalledWith('42');
    } finally {
      delete process.env.FAKE_ACTION;
    }
  });

  it('reports a click on the body', async () => {
    process.env.FAKE_ACTION = 'default';
    try {
      const handle = notifySendNotifier({ command: fake, closeById: () => {} }).show(spec);
      await new Promise<void>((resolve) => handle.onClick(resolve));
      handle.close();
    } finally {
      delete process.env.FAKE_ACTION;
    }
  });
});
