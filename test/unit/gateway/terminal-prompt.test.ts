import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApprovalBroker } from '../../../src-gateway/approvals/approval-broker.js';
import { ApprovalRecords } from '../../../src-gateway/approvals/approval-records.js';
import { startTerminalPrompt } from '../../../src-gateway/approvals/terminal-prompt.js';
import { openDatabase } from '../../../src-gateway/store/open-database.js';

function broker(): { broker: ApprovalBroker; db: Database.Database } {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'airlock-broker-')));
  db.prepare("INSERT INTO sessions (id, server, client, started_at) VALUES ('s1', 'demo', 'local', 0)").run();
  return { broker: new ApprovalBroker(new ApprovalRecords(db)), db };
}
const request = { sessionId: 's1', server: 'demo', method: 'tools/call', tool: 'delete_customer', client: 'local', arguments: { id: 'cus_1' }, ruleId: 'r1', reason: 'risky' };

describe('the approval broker', () => {
  it('lets the first answer win and refuses later ones', async () => {
    const { broker: b } = broker();
    const { approval, resolution } = b.hold(request, { timeoutMs: 10_000, onTimeout: 'deny' });
    expect(b.decide(approval.id, 'allow-once', 'control-api')).toBe(true);
    expect(b.decide(approval.id, 'deny', 'terminal')).toBe(false);
    expect(await resolution).toEqual({ allowed: true, decision: 'allow-once', channel: 'control-api', reason: undefined });
  });

  it('resolves by the rule\'s timeout, and records it', async () => {
    const { broker: b, db } = broker();
    const { approval, resolution } = b.hold(request, { timeoutMs: 20, onTimeout: 'deny' });
    expect(await resolution).toMatchObject({ allowed: false, decision: 'timeout', channel: 'timeout' });
    expect(db.prepare('SELECT decision, channel FROM approvals WHERE id = ?').get(approval.id)).toEqual({ decision: 'timeout', channel: 'timeout' });
    const allowing = b.hold(request, { timeoutMs: 20, onTimeout: 'allow' });
    expect((await allowing.resolution).allowed).toBe(true);
  });

  it('withdraws when the agent cancels', async () => {
    const { broker: b } = broker();
    const controller = new AbortController();
    const { resolution } = b.hold(request, { timeoutMs: 10_000, onTimeout: 'deny', signal: controller.signal });
    controller.abort();
    expect(await resolution).toMatchObject({ allowed: false, decision: 'withdrawn', channel: 'agent' });
    expect(b.pending()).toEqual([]);
  });

  it('refuses the call when the decision cannot be recorded', async () => {
    const { broker: b, db } = broker();
    const { approval, resolution } = b.hold(request, { timeoutMs: 10_000, onTimeout: 'deny' });
    db.pragma('query_only = 1');
    b.decide(approval.id, 'allow-once', 'control-api');
    expect((await resolution).allowed).toBe(false);
  });
});

/** A broker with the terminal prompt attached to in-memory streams; `shown()` is what it printed. */
function promptHarness() {
  const { broker: b } = broker();
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk) => (printed += chunk));
  return { b, input, shown: () => printed, stop: startTerminalPrompt(b, input, output) };
}

describe('the terminal prompt', () => {
  it('shows a held call and takes the answer typed', async () => {
    const { b, input, shown, stop } = promptHarness();
    const { resolution } = b.hold(request, { timeoutMs: 10_000, onTimeout: 'deny' });
    expect(shown()).toMatch(/Approval needed .*client "local" → demo: delete_customer/);
    expect(shown()).toContain('{"id":"cus_1"}');
    input.write('d not this one\n');
    expect(await resolution).toMatchObject({ allowed: false, decision: 'deny', channel: 'terminal', reason: 'not this one' });
    stop();
  });

  it('moves on when another channel answers first', async () => {
    const { b, input, shown, stop } = promptHarness();
    const first = b.hold(request, { timeoutMs: 10_000, onTimeout: 'deny' });
    const second = b.hold({ ...request, tool: 'run_sql' }, { timeoutMs: 10_000, onTimeout: 'deny' });
    b.decide(first.approval.id, 'allow-once', 'control-api');
    expect(shown()).toMatch(/allow-once \(control-api\)[\s\S]*run_sql/);
    input.write('s\n');
    expect(await second.resolution).toMatchObject({ decision: 'allow-session', channel: 'terminal' });
    stop();
  });
});
