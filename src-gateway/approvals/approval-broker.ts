import { randomUUID } from 'node:crypto';
import { approvalBinding } from './approval-binding.js';
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

/** Who a decision is recorded as made by, and which call the person saw. */
export interface DecideOptions {
  /** Who answered: the signed-in or local user, or the agent's user for elicitation. */
  by?: string;
  /** The binding the channel showed; a decision for another binding is refused. */
  binding?: string;
}

/** The longest delay setTimeout keeps; a longer one fires at once, so long waits are chained. */
const MAX_TIMER_MS = 2_147_483_647;

/** Recorded as the decider when nobody answered in time. */
export const TIMEOUT_DECIDER = 'airlock (timeout)';

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
    const binding = request.binding ?? approvalBinding(request);
    const approval: PendingApproval = { ...request, binding, id: randomUUID(), createdAt, expiresAt: createdAt + options.timeoutMs };
    this.records.held(approval);
    const resolution = new Promise<Resolution>((resolve) => {
      const onTimeout = () => {
        const allowed = options.onTimeout === 'allow';
        this.settle(approval.id, { allowed, decision: 'timeout', channel: 'timeout', reason: allowed ? undefined : 'Nobody approved this call in time', decidedBy: TIMEOUT_DECIDER });
      };
      // Chained so that a wait longer than setTimeout's limit still ends at expiresAt, not at once.
      let timer: NodeJS.Timeout;
      const arm = () => {
        const left = approval.expiresAt - this.now();
        timer = setTimeout(left > MAX_TIMER_MS ? arm : onTimeout, Math.min(Math.max(left, 0), MAX_TIMER_MS));
        timer.unref();
      };
      arm();
      const onAbort = () => this.settle(approval.id, { allowed: false, decision: 'withdrawn', channel: 'agent', decidedBy: `agent ${request.client}` });
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
    if (options.signal?.aborted) this.settle(approval.id, { allowed: false, decision: 'withdrawn', channel: 'agent', decidedBy: `agent ${request.client}` });
    else for (const listener of this.listeners.pending) listener(approval);
    return { approval, resolution };
  }

  /**
   * A person's answer. False if the approval is no longer pending (decided, timed out, withdrawn),
   * or when `options.binding` names another call than the one held.
   */
  decide(id: string, decision: ApprovalDecision, channel: ApprovalChannel, reason?: string, options: DecideOptions = {}): boolean {
    const held = this.held.get(id);
    if (!held || (options.binding !== undefined && options.binding !== held.approval.binding)) return false;
    return this.settle(id, { allowed: decision !== 'deny', decision, channel, reason, decidedBy: options.by });
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
      resolution = { allowed: false, decision: 'deny', channel: resolution.channel, reason: 'Airlock could not record the decision, so the call was refused', decidedBy: resolution.decidedBy };
    }
    held.settle(resolution);
    for (const listener of this.listeners.resolved) listener(held.approval, resolution);
    return true;
  }
}
