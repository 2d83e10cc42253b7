import type { ElicitRequest, ElicitResult, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalBroker } from '../approvals/approval-broker.js';
import type { CompiledPolicy, Verdict } from '../policy/compile-policy.js';
import type { Finding } from '../masking/mask-types.js';
import type { TokenVault } from '../masking/token-vault.js';
import type { ToolPins } from '../pinning/tool-pins.js';
import type { MaskingPlan } from '../policy/masking-plan.js';
import type { Direction, MessageKind, SessionUser } from '../store/message-log.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { CallAdmission } from './call-admission.js';

/**
 * What a stage decides about a message. `continue` may carry a rewritten message (a filtered
 * tools/list, a masked result); `deny` says why and which rule; `withdrawn` means the agent
 * cancelled the call while it was held, so nothing is forwarded and nothing is answered.
 */
export type Decision =
  | { action: 'continue'; message?: JSONRPCMessage }
  | { action: 'deny'; reason: string; rule?: string }
  | { action: 'withdrawn' };

export const CONTINUE: Decision = Object.freeze({ action: 'continue' });

/** What the gateway knows about the call a message belongs to; filled in by `identify`. */
export interface CallInfo {
  kind: MessageKind;
  /** JSON-encoded JSON-RPC id, so that 1 and "1" stay distinct. */
  rpcId?: string;
  method?: string;
  /** The tool name of tools/call, the uri of resources/read, the prompt name of prompts/get. */
  tool?: string;
  /** When the request this message answers was recorded (responses only). */
  requestStartedAt?: number;
}

/** A request travelling through the gateway and not yet answered. */
export interface PendingRequest {
  method: string;
  tool?: string;
  startedAt: number;
  progressToken?: string | number;
}

export interface SessionIdentity {
  id: string;
  server: string;
  client: string;
  /** Who was signed in to the org when the session started; null when nobody (or org mode is off). */
  user: SessionUser | null;
  /** The user's groups (from sign-in); empty until the user signs in. */
  groups: readonly string[];
}

/** The org sign-in a session starts under: its user and their groups then. */
export interface SignedIn {
  user: SessionUser;
  groups: readonly string[];
}

/** The gateway-wide services stages consult. */
export interface GatewayServices {
  policy(): CompiledPolicy;
  masking(): MaskingPlan;
  pins: ToolPins;
  approvals: ApprovalBroker;
  /** Whether a person paused protection: calls a rule would hold then go through, recorded as `paused`. */
  protection: { isPaused(): boolean };
  /** Where `keychain:<name>` references in server configs resolve; read only when an upstream opens. */
  secrets: SecretStore;
  /** Seals the original of a masked message, or undefined when no key is set. */
  sealOriginal(text: string): string | undefined;
  /** Who is signed in to the org right now (read once per session, at its start); null when nobody. */
  signedIn(): SignedIn | null;
  /** Writes an "always allow" rule for exactly this call. */
  allowAlways(call: { server: string; method: string; tool?: string; arguments?: unknown }): void;
  /** Gateway-wide cap on requests waiting on servers, and how long a server may take to answer. */
  admission: CallAdmission;
}

/** What a stage may ask of the agent's side of the session. */
export interface AgentChannel {
  /** Whether the agent's client declared the elicitation capability. */
  canElicit: boolean;
  /** Asks the agent's user, in the agent's own UI, on the stream of `relatedRequestId`. */
  elicit(params: ElicitRequest['params'], relatedRequestId: RequestId, signal: AbortSignal): Promise<ElicitResult>;
  /** Sends a notification on the stream of `relatedRequestId`. */
  notify(message: JSONRPCMessage, relatedRequestId: RequestId): void;
}

export interface PipelineContext {
  readonly session: SessionIdentity;
  readonly direction: Direction;
  readonly now: () => number;
  readonly services: GatewayServices;
  readonly agent: AgentChannel;
  /** Calls allowed "for this session" by a person, as their approval bindings (server, method, tool, canonical arguments). */
  readonly sessionAllowances: Set<string>;
  /** Masking tokens of this session, so `<email_1>` stays the same person. */
  readonly tokens: TokenVault;
  /** Aborted when the agent cancels this request or the session ends. */
  readonly signal: AbortSignal;
  /** The still-open request with this JSON-encoded id, sent the other way. */
  readonly pendingRequest: (rpcId: string) => PendingRequest | undefined;
  call: CallInfo;
  /** The policy's verdict on this request, once `policy` has run. */
  verdict?: Verdict & { ruleId?: string };
  /** What is recorded (and shown to approvers) instead of the message, when masking changed it. */
  audit?: JSONRPCMessage;
  /** What masking replaced in this message, for the record. */
  findings?: Finding[];
  /** The message as it was before masking, when the policy keeps sealed originals. */
  original?: JSONRPCMessage;
}

/** One step of the pipeline. `directions` says which way of travel it applies to. */
export interface Stage {
  name: string;
  directions: readonly Direction[];
  run(message: JSONRPCMessage, ctx: PipelineContext): Decision | Promise<Decision>;
}
