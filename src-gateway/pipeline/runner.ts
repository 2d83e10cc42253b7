import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { TokenVault } from '../masking/token-vault.js';
import type { Direction, MessageLog, Outcome } from '../store/message-log.js';
import type { AgentChannel, GatewayServices, PendingRequest, PipelineContext, SessionIdentity, Stage } from './pipeline-types.js';
import { messageRecord, type RecordedVerdict } from './message-record.js';
import { OpenCalls, type OpenCall } from './open-calls.js';
import { relatedRequest, reportedProgressToken, requestedProgressToken } from './progress-routing.js';
import { deniedAnswer, errorResponse, GatewayErrorCode } from './rpc-errors.js';
import { runStages, type FinalDecision } from './run-stages.js';

/** Where messages go once the pipeline lets them through. */
export interface RunnerPorts {
  toServer(message: JSONRPCMessage): Promise<void>;
  /**
   * `relatedRequestId` names the agent request whose stream should carry a server message;
   * `serialized` is the message as already encoded for the record, so it is not encoded twice.
   */
  toAgent(message: JSONRPCMessage, relatedRequestId?: RequestId, serialized?: string): Promise<void>;
}

export interface RunnerOptions {
  session: SessionIdentity;
  log: MessageLog;
  ports: RunnerPorts;
  stages: readonly Stage[];
  services: GatewayServices;
  agent: AgentChannel;
  /** Masking tokens shared with other runners (the aggregate endpoint's servers), so `<email_1>` means one person to the agent. */
  tokens?: TokenVault;
  now?: () => number;
  /** Internal errors: logged with context, never sent out. */
  onInternalError?: (what: string, error: unknown) => void;
}

interface OpenRequest extends PendingRequest {
  id: RequestId;
}

/**
 * Takes every message of one agent session through the pipeline and then acts on the decision.
 * The runner, not a stage, records: a message is committed to the store before it is passed on,
 * and if that write fails the message is not passed on (no record, no call).
 */
export class PipelineRunner {
  /** Agent requests awaiting the server's answer, each holding an admission slot and a deadline. */
  private readonly toServerOpen: OpenCalls;
  /** Server requests (sampling, elicitation, roots) awaiting the agent's answer. */
  private readonly toAgentOpen = new Map<string, OpenRequest>();
  /** Agent requests still inside the stages (e.g. held for approval), so a cancellation can reach them. */
  private readonly deciding = new Map<string, AbortController>();
  private readonly sessionAllowances = new Set<string>();
  private readonly tokens: TokenVault;
  private readonly ended = new AbortController();
  private readonly now: () => number;

  constructor(private readonly options: RunnerOptions) {
    this.now = options.now ?? Date.now;
    this.tokens = options.tokens ?? new TokenVault();
    this.toServerOpen = new OpenCalls(options.services.admission, (_key, call) => void this.timeOut(call));
  }

  /** A message from the agent on its way to the server. */
  async fromAgent(message: JSONRPCMessage): Promise<void> {
    if (this.withdrawHeld(message)) return;
    const controller = new AbortController();
    if (this.ended.signal.aborted) controller.abort();
    const ctx = this.context('to-server', controller.signal);
    const key = 'id' in message && 'method' in message && message.id !== undefined ? JSON.stringify(message.id) : undefined;
    if (key !== undefined) this.deciding.set(key, controller);
    const decision = await this.decide(message, ctx);
    if (key !== undefined) this.deciding.delete(key);
    const id = 'id' in message ? message.id : undefined;
    if (decision.action === 'withdrawn') {
      this.tryRecord(ctx, message, 'withdrawn');
      return;
    }
    if (decision.action === 'deny') {
      this.tryRecord(ctx, ctx.audit ?? message, 'denied', undefined, { decision: 'deny', ruleId: decision.rule });
      if (ctx.call.kind === 'request' && id !== undefined) {
        await this.answerAgent(deniedAnswer(id, ctx.call.method, decision.reason, decision.rule), 'denied');
      }
      return;
    }
    const forward = decision.message;
    const verdict = ctx.verdict && { decision: ctx.verdict.action, ruleId: ctx.verdict.ruleId };
    const isRequest = ctx.call.kind === 'request' && id !== undefined;
    const open = isRequest ? { id: id!, method: ctx.call.method!, tool: ctx.call.tool, startedAt: this.now(), progressToken: requestedProgressToken(forward) } : undefined;
    // Admitted before it is recorded as forwarded, so a refused call is never recorded as sent.
    if (open && !this.toServerOpen.admit(ctx.call.rpcId!, open)) {
      this.tryRecord(ctx, ctx.audit ?? forward, 'failed', undefined, verdict);
      const { maxInFlight } = this.options.services.admission;
      await this.answerAgent(errorResponse(open.id, GatewayErrorCode.overloaded, `Airlock is overloaded: ${maxInFlight} calls are already waiting on servers (limits.maxInFlightRequests), so this call was not forwarded. Retry shortly.`), 'failed');
      return;
    }
    if (!this.tryRecord(ctx, ctx.audit ?? forward, ctx.call.kind === 'request' ? 'forwarded' : 'delivered', undefined, verdict)) {
      if (ctx.call.kind === 'request' && id !== undefined) {
        await this.answerAgent(errorResponse(id, GatewayErrorCode.notRecorded, 'Airlock could not record this call in its audit log, so it was not forwarded. Check the disk and the data directory, then retry.'), 'failed', false);
      } else if (id !== undefined) {
        // The server is waiting for this answer; tell it rather than leave it hanging.
        await this.sendToServer(errorResponse(id, GatewayErrorCode.notRecorded, 'Airlock could not record the answer'));
      }
      return;
    }
    if (ctx.call.rpcId !== undefined && !isRequest) {
      this.toAgentOpen.delete(ctx.call.rpcId);
    } else if (!isRequest) {
      this.forgetCancelled(forward);
    }
    try {
      await this.options.ports.toServer(forward);
    } catch (error) {
      if (ctx.call.kind === 'request' && id !== undefined && this.toServerOpen.has(ctx.call.rpcId!)) {
        await this.answerAgent(errorResponse(id, GatewayErrorCode.serverUnavailable, `The server "${this.options.session.server}" could not be reached: ${reason(error)}`), 'failed');
      } else {
        this.options.onInternalError?.('forwarding to the server', error);
      }
    }
  }

  /** Withdraws every held call and gives back the admission slots of open ones: the session is over. */
  endSession(): void {
    this.ended.abort();
    for (const held of this.deciding.values()) held.abort();
    this.toServerOpen.clear();
  }

  /** The agent cancelled a forwarded call: the server will not answer it, so it stops counting as open. */
  private forgetCancelled(message: JSONRPCMessage): void {
    if (!('method' in message) || message.method !== 'notifications/cancelled') return;
    const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
    if (requestId !== undefined) this.toServerOpen.delete(JSON.stringify(requestId));
  }

  /**
   * The server did not answer in time: the agent gets a timeout error and the server an MCP
   * cancellation, so neither side waits on the other any longer.
   */
  private async timeOut(call: OpenCall): Promise<void> {
    const seconds = this.options.services.admission.requestTimeoutMs / 1000;
    const { server } = this.options.session;
    await this.answerAgent(errorResponse(call.id, GatewayErrorCode.timedOut, `The server${server ? ` "${server}"` : ''} did not answer within ${seconds} s (limits.requestTimeoutSeconds), so Airlock cancelled the call.`), 'failed');
    const cancel: JSONRPCMessage = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: call.id, reason: 'Airlock: the request timed out' } };
    const ctx = this.context('to-server', this.ended.signal);
    ctx.call = { kind: 'notification', method: 'notifications/cancelled' };
    // Sent even if it could not be recorded: it only stops work, and the timeout answer is on record.
    this.tryRecord(ctx, cancel, 'delivered');
    await this.sendToServer(cancel);
  }

  /**
   * A cancellation of a call still being decided withdraws it there: the server never saw the call,
   * so the cancellation is recorded but not forwarded.
   */
  private withdrawHeld(message: JSONRPCMessage): boolean {
    if (!('method' in message) || message.method !== 'notifications/cancelled') return false;
    const requestId = (message.params as { requestId?: unknown } | undefined)?.requestId;
    const held = requestId === undefined ? undefined : this.deciding.get(JSON.stringify(requestId));
    if (!held) return false;
    held.abort();
    const ctx = this.context('to-server', this.ended.signal);
    ctx.call = { kind: 'notification', method: message.method };
    this.tryRecord(ctx, message, 'delivered');
    return true;
  }

  /** A message from the server on its way to the agent. */
  async fromServer(message: JSONRPCMessage): Promise<void> {
    const ctx = this.context('to-agent', this.ended.signal);
    const decision = await this.decide(message, ctx);
    const { kind, rpcId } = ctx.call;
    const isAnswer = kind === 'response' || kind === 'error';
    const open = rpcId === undefined ? undefined : this.toServerOpen.get(rpcId);
    if (decision.action !== 'continue') {
      this.tryRecord(ctx, message, 'denied');
      if (isAnswer && open && decision.action === 'deny') {
        await this.answerAgent(deniedAnswer(open.id, open.method, decision.reason, decision.rule), 'denied');
      }
      return;
    }
    const deliver = decision.message;
    if (kind === 'notification') this.touchByProgress(deliver);
    const outcome: Outcome = kind === 'response' ? 'ok' : kind === 'error' ? 'error' : kind === 'request' ? 'forwarded' : 'delivered';
    const body = JSON.stringify(deliver);
    if (!this.tryRecord(ctx, deliver, outcome, body, ctx.findings ? { decision: 'masked' } : undefined)) {
      if (isAnswer && open) {
        await this.answerAgent(errorResponse(open.id, GatewayErrorCode.notRecorded, 'Airlock could not record the server\'s answer in its audit log, so it was withheld. Check the disk and the data directory, then retry.'), 'failed', false);
      } else if (kind === 'request' && 'id' in message && message.id !== undefined) {
        await this.sendToServer(errorResponse(message.id, GatewayErrorCode.notRecorded, 'Airlock could not record this request'));
      }
      return;
    }
    const related = relatedRequest(deliver, kind, this.toServerOpen.values());
    if (isAnswer && rpcId !== undefined) this.toServerOpen.delete(rpcId);
    if (kind === 'request' && 'id' in message && message.id !== undefined) {
      this.toAgentOpen.set(rpcId!, { id: message.id, method: ctx.call.method!, startedAt: this.now() });
    }
    await this.sendToAgent(deliver, related, body);
  }

  /** Answers every request still waiting on the server, e.g. after the server exited. */
  async failOpenRequests(message: string): Promise<void> {
    for (const request of [...this.toServerOpen.values()]) {
      await this.answerAgent(errorResponse(request.id, GatewayErrorCode.serverUnavailable, message), 'failed');
    }
  }

  /** Progress on a call starts its deadline again. */
  private touchByProgress(message: JSONRPCMessage): void {
    const token = reportedProgressToken(message);
    const key = token === undefined ? undefined : this.toServerOpen.keyOfProgress(token);
    if (key !== undefined) this.toServerOpen.touch(key);
  }

  get openRequestCount(): number {
    return this.toServerOpen.size;
  }

  private context(direction: Direction, signal: AbortSignal): PipelineContext {
    const open = direction === 'to-server' ? this.toAgentOpen : this.toServerOpen;
    return {
      session: this.options.session,
      direction,
      now: this.now,
      services: this.options.services,
      agent: this.options.agent,
      sessionAllowances: this.sessionAllowances,
      tokens: this.tokens,
      signal,
      pendingRequest: (rpcId) => open.get(rpcId),
      call: { kind: 'notification' },
    };
  }

  /** A stage that throws must not let the message through: fail closed. */
  private async decide(message: JSONRPCMessage, ctx: PipelineContext): Promise<FinalDecision> {
    try {
      return await runStages(this.options.stages, message, ctx);
    } catch (error) {
      this.options.onInternalError?.(`pipeline stage failed on ${ctx.call.method ?? ctx.call.kind}`, error);
      return { action: 'deny', reason: 'Airlock could not apply its checks to this message, so it was stopped.', rule: 'gateway' };
    }
  }

  private tryRecord(
    ctx: PipelineContext,
    message: JSONRPCMessage,
    outcome: Outcome,
    body = JSON.stringify(message),
    verdict?: RecordedVerdict,
  ): boolean {
    try {
      this.options.log.append(messageRecord(ctx, this.now(), body, outcome, verdict));
      return true;
    } catch (error) {
      this.options.onInternalError?.('recording a message', error);
      return false;
    }
  }

  /**
   * Sends the agent an answer the gateway itself produced, recording it like any other answer
   * (unless the store just refused a write: trying again would only delay the agent's answer).
   */
  private async answerAgent(answer: JSONRPCMessage & { id: RequestId }, outcome: Outcome, record = true): Promise<void> {
    const rpcId = JSON.stringify(answer.id);
    const open = this.toServerOpen.get(rpcId);
    this.toServerOpen.delete(rpcId);
    const ctx = this.context('to-agent', this.ended.signal);
    ctx.call = { kind: 'error' in answer ? 'error' : 'response', rpcId, method: open?.method, tool: open?.tool, requestStartedAt: open?.startedAt };
    if (record) this.tryRecord(ctx, answer, outcome);
    await this.sendToAgent(answer);
  }

  private async sendToAgent(message: JSONRPCMessage, related?: RequestId, serialized?: string): Promise<void> {
    try {
      await this.options.ports.toAgent(message, related, serialized);
    } catch (error) {
      this.options.onInternalError?.('delivering to the agent', error);
    }
  }

  private async sendToServer(message: JSONRPCMessage): Promise<void> {
    try {
      await this.options.ports.toServer(message);
    } catch (error) {
      this.options.onInternalError?.('answering the server', error);
    }
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
