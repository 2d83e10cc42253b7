import type { ControlEvent, ControlEvents, ControlEventType } from './contract.js';

type Listener = (event: ControlEvent) => void;

/**
 * The gateway's live feed for the tray window (`GET /control/events`): the store, the approval
 * broker, the policy store and the connections publish here; each SSE client subscribes.
 * A listener that throws is dropped rather than allowed to break the publisher.
 */
export class ControlEventBus {
  private readonly listeners = new Set<Listener>();

  publish<K extends ControlEventType>(type: K, data: ControlEvents[K]): void {
    const event = { type, data } as ControlEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }

  /** Returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
