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
  createdAt: number;
  expiresAt: number;
}

export interface Resolution {
  allowed: boolean;
  decision: ApprovalDecision | 'timeout' | 'withdrawn';
  channel: ApprovalChannel;
  /** The person's reason, shown to the agent when denied. */
  reason?: string;
}

export type ApprovalRequest = Omit<PendingApproval, 'id' | 'createdAt' | 'expiresAt'>;
