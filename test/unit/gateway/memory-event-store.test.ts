import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from '../../../src-gateway/front/memory-event-store.js';

describe('MemoryEventStore', () => {
  it('gives the events of the same stream after the last one seen', () => {
    const store = new MemoryEventStore(10);
    const a1 = store.store('a', 'one');
    store.store('b', 'two');
    const a3 = store.store('a', 'three');
    expect(store.after(a1)).toEqual({ streamId: 'a', events: [{ id: a3, data: 'three' }] });
  });

  it('keeps at most its capacity and says when an event is gone', () => {
    const store = new MemoryEventStore(2);
    const first = store.store('a', '1');
    store.store('a', '2');
    store.store('a', '3');
    expect(store.after(first)).toBeUndefined();
  });

  it('keeps nothing with capacity 0', () => {
    const store = new MemoryEventStore(0);
    expect(store.after(store.store('a', 'x'))).toBeUndefined();
  });
});

describe('MemoryEventStore bounds', () => {
  it('forgets a finished stream and keeps the others', () => {
    const store = new MemoryEventStore(10);
    const a = store.store('a', 'x');
    const b = store.store('b', 'y');
    store.store('b', 'z');
    store.forget('a');
    expect(store.after(a)).toBeUndefined();
    expect(store.after(b)?.events.map((e) => e.data)).toEqual(['z']);
  });

  it('evicts the oldest events past its byte limit', () => {
    const store = new MemoryEventStore(100, 10);
    const first = store.store('a', '123456');
    const second = store.store('a', '123456');
    store.store('a', '12');
    expect(store.after(first)).toBeUndefined();
    expect(store.after(second)?.events).toHaveLength(1);
  });
});
