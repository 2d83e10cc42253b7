interface StoredEvent {
  id: string;
  streamId: string;
  data: string;
}

/**
 * Keeps recent SSE events of one agent session so a client that lost its connection can resume with
 * `Last-Event-ID`. Bounded by count and by bytes, oldest first out; events of a stream that ended
 * while connected are forgotten at once, since nobody will ask for them again.
 */
export class MemoryEventStore {
  private readonly events: StoredEvent[] = [];
  private counter = 0;
  private bytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes = 8 * 1024 * 1024,
  ) {}

  /** Stores an event and returns its id. */
  store(streamId: string, data: string): string {
    const id = `${streamId}_${++this.counter}`;
    if (this.capacity === 0) return id;
    this.events.push({ id, streamId, data });
    this.bytes += data.length;
    while (this.events.length > this.capacity || (this.bytes > this.maxBytes && this.events.length > 1)) {
      this.bytes -= this.events.shift()!.data.length;
    }
    return id;
  }

  /** Drops every event of a stream that no client can resume any more. */
  forget(streamId: string): void {
    for (let i = this.events.length - 1; i >= 0; i--) {
      if (this.events[i].streamId === streamId) this.bytes -= this.events.splice(i, 1)[0].data.length;
    }
  }

  /** The stream an event belongs to and the events after it on that stream, or undefined if it is gone. */
  after(lastEventId: string): { streamId: string; events: Array<{ id: string; data: string }> } | undefined {
    const index = this.events.findIndex((event) => event.id === lastEventId);
    if (index < 0) return undefined;
    const { streamId } = this.events[index];
    const events = this.events.slice(index + 1).filter((event) => event.streamId === streamId);
    return { streamId, events: events.map(({ id, data }) => ({ id, data })) };
  }
}
