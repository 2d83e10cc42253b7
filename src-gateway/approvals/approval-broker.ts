import { randomUUID } from 'node:crypto';
import type { ApprovalRecords } from './approval-records.js';
import type { ApprovalChannel, ApprovalDecision, ApprovalRequest, PendingApproval, Resolution } from './approval-types.js';

export interface HoldOptions {
  timeoutMs: number;
  /** What a timeout means; the default policy says deny. */
  onTimeout: 'deny' | 'allow';
  /** Aborted when the agent cancels the call or goes away: the approval is withdrawn. */
  signal?: AbortSignal;
}

type Listener = (approval: PendingApproval, resolution?: Resolution) => void;

interface Held {
  approval: PendingApproval;
  settle(resolution: Resolution): void;
}

/**
 * Holds calls until a person decides. Every channel (control API, terminal, elicitation) resolves
 * the same pending approval through `decide`; the first answer wins and later ones are refused.
 * A timeout resolves it as the rule says. Every hold and every resolution is recorded.
 */
export class ApprovalBroker {
  private readonly held = new Map<string, Held>();
  private readonly listeners = { pending: new Set<Listener>(), resolved: new Set<Listener>() };

  constructor(
    private readonly records: ApprovalRecords,
    private readonly now: () => number = Date.now,
  ) {}

  /** Holds a call; resolves when someone decides, the time is up, or the agent withdraws it. */
  hold(request: ApprovalRequest, options: HoldOptions): { approval: PendingApproval; resolution: Promise<Resolution> } {
    const createdAt = this.now();
    const approval: PendingApproval = { ...request, id: randomUUID(), createdAt, expiresAt: createdAt + options.timeoutMs };
    this.records.held(approval);
    const resolution = new Promise<Resolution>((resolve) => {
      const timer = setTimeout(() => {
        const allowed = options.onTimeout === 'allow';
        this.settle(approval.id, { allowed, decision: 'timeout', channel: 'timeout', reason: allowed ? undefined : 'Nobody approved this call in time' });
      }, options.timeoutMs);
      timer.unref();
      const onAbort = () => this.settle(approval.id, { allowed: false, decision: 'withdrawn', channel: 'agent' });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.held.set(approval.id, {
        approval,
        settle: (result) => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
      });
    });
    if (options.signal?.aborted) this.settle(approval.id, { allowed: false, decision: 'withdrawn', channel: 'agent' });
    else for (const listener of this.listeners.pending) listener(approval);
    return { approval, resolution };
  }

  /** A person's answer. False if the approval is no longer pending (decided, timed out, withdrawn). */
  decide(id: string, decision: ApprovalDecision, channel: ApprovalChannel, reason?: string): boolean {
    return this.settle(id, { allowed: decision !== 'deny', decision, channel, reason });
  }

  pending(): PendingApproval[] {
    return [...this.held.values()].map((held) => held.approval);
  }

  get(id: string): PendingApproval | undefined {
    return this.held.get(id)?.approval;
  }

  /** Channels subscribe to show new approvals and to drop ones resolved elsewhere. Returns an unsubscribe. */
  on(event: 'pending' | 'resolved', listener: Listener): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
  }

  private settle(id: string, resolution: Resolution): boolean {
    const held = this.held.get(id);
    if (!held) return false;
    this.held.delete(id);
    try {
      this.records.resolved(id, resolution, this.now());
    } catch {
      // A decision that cannot be recorded does not let the call through.
      resolution = { allowed: false, decision: 'deny', channel: resolution.channel, reason: 'Airlock could not record the decision, so the call was refused' };
    }
    held.settle(resolution);
    for (const listener of this.listeners.resolved) listener(held.approval, resolution);
    return true;
  }
}
