import { describe, expect, it } from 'vitest';
import { CallQueries } from '../../../../src-gateway/store/call-queries.js';
import { MessageQueries } from '../../../../src-gateway/store/message-queries.js';
import { StatsQueries } from '../../../../src-gateway/store/stats-queries.js';
import { freshStore } from './history-store.js';

const EMAIL = { detector: 'email', count: 1, pointers: ['/result/content/0/text'] };

describe('calls, as Activity shows them', () => {
  it('gives each call the status its request and answer came to', () => {
    const store = freshStore();
    store.session('s', { server: 'github', client: 'cursor' });
    const allowed = store.call('s', 'echo');
    const masked = store.call('s', 'echo', { answer: { outcome: 'ok', masked: [EMAIL, { detector: 'card', count: 1, pointers: ['/x'] }] } });
    const denied = store.call('s', 'drop', { outcome: 'denied', decision: 'deny', answer: { outcome: 'denied' } });
    const withdrawn = store.call('s', 'whoami', { outcome: 'withdrawn', decision: 'approve', answer: null });
    const failed = store.call('s', 'slow', { answer: { outcome: 'error', kind: 'error' } });
    const unreachable = store.call('s', 'slow', { answer: { outcome: 'failed', kind: 'error' } });
    const stoppedAnswer = store.call('s', 'peek', { answer: { outcome: 'denied' } });
    const pending = store.call('s', 'slow', { answer: null });

    const calls = new CallQueries(store.db).recent(50);
    const status = Object.fromEntries(calls.map((call) => [call.id, call.status]));
    expect(status).toEqual({
      [allowed.requestId]: 'allowed',
      [masked.requestId]: 'masked',
      [denied.requestId]: 'denied',
      [withdrawn.requestId]: 'withdrawn',
      [failed.requestId]: 'failed',
      [unreachable.requestId]: 'failed',
      [stoppedAnswer.requestId]: 'denied',
      [pending.requestId]: 'pending',
    });
    expect(calls.find((call) => call.id === masked.requestId)).toEqual({
      id: masked.requestId, sessionId: 's', server: 'github', client: 'cursor', method: 'tools/call', tool: 'echo',
      ts: 2_000, status: 'masked', decision: 'allow', ruleId: 'default', durationMs: 5, detectors: ['card', 'email'],
    });
    expect(calls.find((call) => call.id === pending.requestId)).toMatchObject({ durationMs: null, detectors: [] });
  });

  it('lists the newest first and pages back with `before`', () => {
    const store = freshStore();
    store.session('s');
    const ids = Array.from({ length: 7 }, () => store.call('s', 'echo').requestId);
    const calls = new CallQueries(store.db);
    const first = calls.recent(3);
    expect(first.map((call) => call.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect(calls.recent(3, first.at(-1)!.id).map((call) => call.id)).toEqual([ids[3], ids[2], ids[1]]);
    expect(calls.recent(3, ids[1]).map((call) => call.id)).toEqual([ids[0]]);
  });

  it('joins an answer only to the request of its own session and id', () => {
    const store = freshStore();
    store.session('a');
    store.session('b');
    // Both sessions use JSON-RPC id 1 (the fixture numbers calls across the store, so force it).
    const base = { ts: 1, direction: 'to-server' as const, kind: 'request' as const, rpcId: '1', method: 'tools/call', tool: 'echo', size: 1, body: '{}' };
    const inA = store.log.append({ ...base, sessionId: 'a', outcome: 'forwarded', decision: 'allow' });
    const inB = store.log.append({ ...base, sessionId: 'b', outcome: 'forwarded', decision: 'allow' });
    const answerB = store.log.append({ ...base, sessionId: 'b', direction: 'to-agent', kind: 'error', outcome: 'error' });
    const calls = new CallQueries(store.db);
    expect(calls.byRequest(inA)?.status).toBe('pending');
    expect(calls.byRequest(inB)?.status).toBe('failed');
    expect(calls.byAnswer('b', '1', answerB)?.id).toBe(inB);
    expect(calls.byAnswer('a', '1', answerB)?.id).toBe(inA);
    expect(calls.byAnswer('a', '2', answerB)).toBeUndefined();
  });
});

describe('a session\'s messages', () => {
  it('pages with `after`, parses each body and attaches its masking events', () => {
    const store = freshStore();
    store.session('s');
    store.session('other');
    store.call('s', 'echo');
    store.call('other', 'echo', { answer: { outcome: 'ok', masked: [EMAIL] } });
    const masked = store.call('s', 'echo', { answer: { outcome: 'ok', masked: [EMAIL] } });
    store.call('s', 'echo');
    const messages = new MessageQueries(store.db);

    const first = messages.page('s', 0, 4);
    expect(first.items).toHaveLength(4);
    expect(first.items.every((item) => item.sessionId === 's')).toBe(true);
    expect(first.nextAfter).toBe(first.items[3].id);
    const answer = first.items.find((item) => item.id === masked.answerId)!;
    expect(answer).toMatchObject({ direction: 'to-agent', kind: 'response', rpcId: expect.any(String), decision: 'masked', outcome: 'ok' });
    expect(answer.body).toEqual({ jsonrpc: '2.0', id: expect.any(Number), result: { content: [{ type: 'text', text: 'done' }] } });
    expect(answer.masks).toEqual([EMAIL]);
    expect(first.items[0].masks).toEqual([]);

    const second = messages.page('s', first.nextAfter!, 4);
    expect(second.items).toHaveLength(2);
    expect(second.nextAfter).toBeNull();
    expect(messages.page('s', second.items[1].id, 4)).toEqual({ items: [], nextAfter: null });
  });

  it('says no more follow when the last page is exactly full', () => {
    const store = freshStore();
    store.session('s');
    store.call('s', 'echo');
    store.call('s', 'echo');
    const page = new MessageQueries(store.db).page('s', 0, 4);
    expect(page.items).toHaveLength(4);
    expect(page.nextAfter).toBeNull();
  });
});

describe('stats over a window', () => {
  const MINUTE = 60_000;
  const now = 1_000 * MINUTE + 30_000; // half-way through minute 1000

  it('counts calls per minute with a bucket for every minute, oldest first', () => {
    const store = freshStore();
    store.session('s');
    store.call('s', 'echo', { ts: 1_000 * MINUTE + 10 });
    store.call('s', 'echo', { ts: 1_000 * MINUTE + 20 });
    store.call('s', 'echo', { ts: 998 * MINUTE });
    store.call('s', 'echo', { ts: 997 * MINUTE + 59_999 }); // just outside a 3-minute window
    const stats = new StatsQueries(store.db).stats(3, now);
    expect(stats.callsPerMinute).toEqual([
      { minute: 998 * MINUTE, count: 1 },
      { minute: 999 * MINUTE, count: 0 },
      { minute: 1_000 * MINUTE, count: 2 },
    ]);
    expect(new StatsQueries(store.db).stats(60, now).callsPerMinute).toHaveLength(60);
  });

  it('counts decisions and ranks the busiest tools by server', () => {
    const store = freshStore();
    store.session('g', { server: 'github' });
    store.session('p', { server: 'probe' });
    const ts = 1_000 * MINUTE;
    for (let i = 0; i < 3; i++) store.call('g', 'create_issue', { ts });
    store.call('p', 'create_issue', { ts });
    store.call('p', 'echo', { ts, answer: { outcome: 'ok', masked: [EMAIL] } });
    store.call('p', 'echo', { ts, outcome: 'denied', decision: 'deny', answer: { outcome: 'denied' } });
    store.call('p', 'whoami', { ts, decision: 'approve' });
    store.call('p', 'slow', { ts, answer: { outcome: 'error', kind: 'error' } });
    store.call('p', 'old', { ts: 10 * MINUTE });

    const stats = new StatsQueries(store.db).stats(60, now);
    expect(stats.decisions).toEqual({ allowed: 6, masked: 1, denied: 1, approved: 1, failed: 1 });
    expect(stats.topTools).toEqual([
      { server: 'github', tool: 'create_issue', count: 3 },
      { server: 'probe', tool: 'echo', count: 2 },
      { server: 'probe', tool: 'create_issue', count: 1 },
      { server: 'probe', tool: 'slow', count: 1 },
      { server: 'probe', tool: 'whoami', count: 1 },
    ]);
  });

  it('keeps at most ten tools', () => {
    const store = freshStore();
    store.session('s');
    for (let i = 0; i < 12; i++) store.call('s', `tool_${i}`, { ts: now });
    expect(new StatsQueries(store.db).stats(5, now).topTools).toHaveLength(10);
  });
});
