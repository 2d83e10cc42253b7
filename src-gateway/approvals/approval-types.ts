import { z } from 'zod';

/** What a person can answer. `allow-always` also writes a local rule. */
export const ApprovalDecisionSchema = z.enum(['allow-once', 'allow-session', 'allow-always', 'deny']);
export type ApprovalDecision = z.infer<typeof ApprovalDecisionSchema>;

/** Where an answer came from; recorded with every decision. */
export type ApprovalChannel = 'control-api' | 'window' | 'notification' | 'terminal' | 'elicitation' | 'timeout' | 'agent';

/** A call held until a person decides, as every channel shows it. */
export interface PendingApproval {
  id: string;
  sessionId: string;
  server: string;
  method: string;
  tool?: string;
  client: string;
  /** The call's arguments as shown to the person deciding. */
  arguments: unknown;
  ruleId?: string;
  /** Why the rule asks. */
  reason: string;
  /**
   * sha256 of (server, method, tool, canonical arguments) of the call as it will be forwarded
   * (see `approvalBinding`): the decision applies to exactly this call, and a channel may send
   * it back to prove which call the person saw.
   */
  binding: string;
  createdAt: number;
  expiresAt: number;
}

export interface Resolution {
  allowed: boolean;
  decision: ApprovalDecision | 'timeout' | 'withdrawn';
  channel: ApprovalChannel;
  /** The person's reason, shown to the agent when denied. */
  reason?: string;
  /** Who decided: the signed-in or local user, the agent's user (elicitation), or `airlock` for a timeout. */
  decidedBy?: string;
}

/** What a stage asks to hold; without `binding`, the broker binds the shown call (server, method, tool, arguments). */
export type ApprovalRequest = Omit<PendingApproval, 'id' | 'createdAt' | 'expiresAt' | 'binding'> & { binding?: string };
