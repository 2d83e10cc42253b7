import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../../src-gateway/front/memory-event-store.js';

const msg = (n: number) => ({ jsonrpc: '2.0' as const, method: 'notifications/message', params: { n } });

describe('MemoryEventStore', () => {
  it('replays the events of the same stream after the last one seen', async () => {
    const store = new MemoryEventStore(10);
    const a1 = await store.storeEvent('a', msg(1));
    await store.storeEvent('b', msg(2));
    await store.storeEvent('a', msg(3));
    const replayed: unknown[] = [];
    expect(await store.replayEventsAfter(a1, { send: async (_id, m) => void replayed.push(m) })).toBe('a');
    expect(replayed).toEqual([msg(3)]);
  });

  it('keeps at most its capacity and says when an event is gone', async () => {
    const store = new MemoryEventStore(2);
    const first = await store.storeEvent('a', msg(1));
    await store.storeEvent('a', msg(2));
    await store.storeEvent('a', msg(3));
    expect(await store.getStreamIdForEventId(first)).toBeUndefined();
    await expect(store.replayEventsAfter(first, { send: async () => {} })).rejects.toThrow(/no longer available/);
  });
});
