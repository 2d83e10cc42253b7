import type { ElicitRequest, ElicitResult, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { AgentChannel } from '../pipeline/pipeline-types.js';

type SendToAgent = (message: JSONRPCMessage, relatedRequestId?: RequestId) => void;

/**
 * What stages may ask of the agent (the pipeline's `AgentChannel`): Airlock's own elicitation
 * requests, whose ids cannot collide with a server's and whose answers stay in the gateway.
 */
export class AgentAsker implements AgentChannel {
  /** Set from the agent's initialize. */
  canElicit = false;
  private readonly pending = new Map<string, { resolve(result: ElicitResult): void; reject(error: Error): void }>();
  private counter = 0;

  constructor(private readonly send: SendToAgent) {}

  /** Asks the agent's user, on the stream of the call being approved. */
  elicit(params: ElicitRequest['params'], related: RequestId, signal: AbortSignal): Promise<ElicitResult> {
    if (!this.canElicit) return Promise.reject(new Error('the agent cannot elicit'));
    const id = `airlock-elicit-${++this.counter}`;
    return new Promise<ElicitResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      signal.addEventListener('abort', () => {
        if (!this.pending.delete(id)) return;
        this.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'answered elsewhere' } }, related);
        reject(new Error('withdrawn'));
      }, { once: true });
      this.send({ jsonrpc: '2.0', id, method: 'elicitation/create', params }, related);
    });
  }

  notify(message: JSONRPCMessage, related: RequestId): void {
    this.send(message, related);
  }

  /** True when `message` answered one of Airlock's own requests (it then goes no further). */
  takeAnswer(message: JSONRPCMessage): boolean {
    if (!('id' in message) || typeof message.id !== 'string' || 'method' in message) return false;
    const pending = this.pending.get(message.id);
    if (!pending) return false;
    this.pending.delete(message.id);
    if ('result' in message) pending.resolve(message.result as ElicitResult);
    else pending.reject(new Error('error' in message ? message.error.message : 'no answer'));
    return true;
  }

  /** Fails every question still open: the session ended. */
  close(): void {
    for (const pending of this.pending.values()) pending.reject(new Error('the session ended'));
    this.pending.clear();
  }
}
