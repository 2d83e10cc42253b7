import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { approvalBinding, canonicalJson } from '../../../../src-gateway/approvals/approval-binding.js';
import { ApprovalBroker, TIMEOUT_DECIDER } from '../../../../src-gateway/approvals/approval-broker.js';
import { ApprovalRecords } from '../../../../src-gateway/approvals/approval-records.js';
import type { Resolution } from '../../../../src-gateway/approvals/approval-types.js';
import { openDatabase } from '../../../../src-gateway/store/open-database.js';

/** Approval integrity (issue 9, item 6): bindings, timeouts that always fire, decisions recorded with who and how. */
const dirs: string[] = [];
const figures: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  console.log(`\napproval integrity figures\n${figures.map((line) => `  ${line}`).join('\n')}`);
});
afterEach(() => {
  vi.useRealTimers();
});

function store(): Database.Database {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-approvals-'));
  dirs.push(dir);
  const db = openDatabase(dir);
  db.prepare("INSERT INTO sessions (id, server, client, started_at) VALUES ('s1', 'demo', 'local', 0)").run();
  return db;
}
const request = (args: unknown = { id: 'cus_1' }) => ({ sessionId: 's1', server: 'demo', method: 'tools/call', tool: 'delete_customer', client: 'local', arguments: args, ruleId: 'r1', reason: 'risky' });

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const args = fc.dictionary(fc.string({ maxLength: 6 }), jsonValue, { maxKeys: 6 });

describe('the approval binding', () => {
  it('is the same for the same call whatever the key order, and differs when anything changes', () => {
    let changes = 0;
    fc.assert(
      fc.property(args, fc.string({ maxLength: 6 }), jsonValue, (original, key, value) => {
        const reordered = Object.fromEntries(Object.entries(original).reverse());
        const call = { server: 'demo', method: 'tools/call', tool: 't', arguments: original };
        expect(approvalBinding({ ...call, arguments: reordered })).toBe(approvalBinding(call));
        const changed = { ...original, [key]: value };
        if (canonicalJson(changed) === canonicalJson(original)) return;
        changes++;
        expect(approvalBinding({ ...call, arguments: changed })).not.toBe(approvalBinding(call));
      }),
      { numRuns: 2000 },
    );
    for (const other of [{ server: 'other' }, { tool: 'u' }, { method: 'prompts/get' }]) {
      expect(approvalBinding({ server: 'demo', method: 'tools/call', tool: 't', arguments: {}, ...other })).not.toBe(approvalBinding({ server: 'demo', method: 'tools/call', tool: 't', arguments: {} }));
    }
    figures.push(`binding: ${changes} random single-argument changes, each gave a new binding; key order never did`);
  });

  it('treats missing arguments and {} alike, as MCP does, and nested key order too', () => {
    expect(approvalBinding({ server: 's', method: 'm' })).toBe(approvalBinding({ server: 's', method: 'm', arguments: {} }));
    expect(canonicalJson({ b: { d: 1, c: [{ f: 1, e: 2 }] }, a: 0 })).toBe('{"a":0,"b":{"c":[{"e":2,"f":1}],"d":1}}');
  });
});

describe('the approval broker', () => {
  it('records the binding of the held call and refuses a decision for another binding', async () => {
    const db = store();
    const broker = new ApprovalBroker(new ApprovalRecords(db));
    const { approval, resolution } = broker.hold(request(), { timeoutMs: 60_000, onTimeout: 'deny' });
    expect(approval.binding).toBe(approvalBinding(request()));
    const other = approvalBinding(request({ id: 'cus_2' }));
    expect(broker.decide(approval.id, 'allow-once', 'control-api', undefined, { by: 'me', binding: other })).toBe(false);
    expect(broker.get(approval.id)).toBeDefined();
    expect(broker.decide(approval.id, 'allow-once', 'control-api', undefined, { by: 'me', binding: approval.binding })).toBe(true);
    expect(await resolution).toMatchObject({ allowed: true, decidedBy: 'me' });
    expect(db.prepare('SELECT binding, decision, channel, decided_by FROM approvals WHERE id = ?').get(approval.id)).toEqual({
      binding: approval.binding,
      decision: 'allow-once',
      channel: 'control-api',
      decided_by: 'me',
    });
  });

  it('waits out a timeout longer than setTimeout can hold, instead of firing at once', async () => {
    vi.useFakeTimers();
    const broker = new ApprovalBroker(new ApprovalRecords(store()), () => Date.now());
    const thirtyDays = 30 * 24 * 3600_000;
    let settled: Resolution | undefined;
    void broker.hold(request(), { timeoutMs: thirtyDays, onTimeout: 'allow' }).resolution.then((r) => (settled = r));
    await vi.advanceTimersByTimeAsync(thirtyDays - 60_000);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(settled).toMatchObject({ decision: 'timeout', allowed: true, decidedBy: TIMEOUT_DECIDER });
  });

  it('resolves every held call by its deadline, whatever mix of answers, withdrawals and silence, and records each with who and how', async () => {
    vi.useFakeTimers();
    const db = store();
    const broker = new ApprovalBroker(new ApprovalRecords(db), () => Date.now());
    const action = fc.record({
      timeoutMs: fc.oneof(fc.integer({ min: 1, max: 120_000 }), fc.constant(2 ** 31 + 5_000)),
      onTimeout: fc.constantFrom('deny' as const, 'allow' as const),
      then: fc.constantFrom('nothing', 'decide', 'withdraw', 'decide-twice', 'decide-late', 'wrong-binding'),
      at: fc.integer({ min: 0, max: 200_000 }),
    });
    const counts: Record<string, number> = {};
    let held = 0;
    let maxTimeout = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 30 }), async (actions) => {
        const outcomes = actions.map((a) => {
          const controller = new AbortController();
          const { approval, resolution } = broker.hold(request({ n: held++ }), { timeoutMs: a.timeoutMs, onTimeout: a.onTimeout, signal: controller.signal });
          maxTimeout = Math.max(maxTimeout, a.timeoutMs);
          const settled = { value: undefined as Resolution | undefined };
          void resolution.then((r) => (settled.value = r));
          setTimeout(() => {
            if (a.then === 'decide' || a.then === 'decide-twice') broker.decide(approval.id, 'allow-once', 'window', undefined, { by: 'tester' });
            if (a.then === 'decide-twice') expect(broker.decide(approval.id, 'deny', 'terminal', undefined, { by: 'second' })).toBe(false);
            if (a.then === 'withdraw') controller.abort();
            if (a.then === 'wrong-binding') expect(broker.decide(approval.id, 'allow-once', 'window', undefined, { binding: '0'.repeat(64) })).toBe(false);
          }, a.at);
          if (a.then === 'decide-late') setTimeout(() => broker.decide(approval.id, 'allow-once', 'window'), a.timeoutMs + 1);
          return { approval, settled };
        });
        await vi.advanceTimersByTimeAsync(Math.max(...actions.map((a) => Math.max(a.timeoutMs + 2, a.at + 1))));
        for (const { approval, settled } of outcomes) {
          expect(settled.value, `approval held for ${approval.expiresAt - approval.createdAt} ms`).toBeDefined();
          counts[settled.value!.decision] = (counts[settled.value!.decision] ?? 0) + 1;
          const row = db.prepare('SELECT decided_at, decision, channel, decided_by, binding FROM approvals WHERE id = ?').get(approval.id) as Record<string, unknown>;
          expect(row).toMatchObject({ decision: settled.value!.decision, channel: settled.value!.channel, binding: approval.binding });
          expect(row.decided_at).not.toBeNull();
          if (settled.value!.decision !== 'allow-once') expect(row.decided_by).not.toBeNull();
          // A timeout never fires early: it resolved no sooner than its deadline unless someone answered.
          if (settled.value!.decision === 'timeout') expect(row.decided_at).toBeGreaterThanOrEqual(approval.expiresAt);
        }
        expect(broker.pending()).toEqual([]);
      }),
      { numRuns: 60 },
    );
    figures.push(`broker: ${held} held calls (timeouts up to ${Math.round(maxTimeout / 86_400_000)} days), ${held} resolved, 0 left pending; ${JSON.stringify(counts)}`);
  });

  it('refuses the call when its decision cannot be recorded', async () => {
    const db = store();
    const broker = new ApprovalBroker(new ApprovalRecords(db));
    const { approval, resolution } = broker.hold(request(), { timeoutMs: 60_000, onTimeout: 'allow' });
    db.prepare('DELETE FROM approvals WHERE id = ?').run(approval.id);
    broker.decide(approval.id, 'allow-once', 'control-api', undefined, { by: 'me' });
    expect(await resolution).toMatchObject({ allowed: false, decision: 'deny', decidedBy: 'me' });
  });
});
