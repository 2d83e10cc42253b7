/**
 * Gateway-wide admission of calls to servers, Envoy's overload manager in small: at most
 * `maxInFlight` requests may wait on servers at once, so a hung server or a flood of agents gets a
 * clear overload error at once instead of piling up memory and sockets behind a server that does
 * not answer.
 */
export class CallAdmission {
  private inFlightCount = 0;

  /**
   * @param maxInFlight requests that may wait on servers at once, across every session
   * @param requestTimeoutMs how long a server may take to answer (reset by progress notifications)
   */
  constructor(
    readonly maxInFlight: number,
    readonly requestTimeoutMs: number,
  ) {}

  /** Requests waiting on a server right now. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Takes a slot for one request; false when the gateway is at its cap. */
  tryAcquire(): boolean {
    if (this.inFlightCount >= this.maxInFlight) return false;
    this.inFlightCount += 1;
    return true;
  }

  /** Gives back the slot of a request that was answered, timed out, cancelled or dropped. */
  release(): void {
    this.inFlightCount = Math.max(0, this.inFlightCount - 1);
  }
}
