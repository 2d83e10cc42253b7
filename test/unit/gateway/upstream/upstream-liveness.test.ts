import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { isLivenessAnswer, UpstreamLiveness } from '../../../../src-gateway/upstream/upstream-liveness.js';

/** A send that fails with the given errors in turn, then succeeds; records every ping. */
function flakySend(failures: unknown[]) {
  const pings: JSONRPCMessage[] = [];
  const send = async (message: JSONRPCMessage) => {
    pings.push(message);
    const failure = failures.shift();
    if (failure !== undefined) throw failure;
  };
  return { pings, send };
}

const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

describe('upstream liveness', () => {
  it('keeps the session when a ping fails once and the next one goes through', async () => {
    const { pings, send } = flakySend([refused()]);
    const gone: string[] = [];
    await new UpstreamLiveness(send, (reason) => gone.push(reason), { firstRetryMs: 1 }).check();
    expect(gone).toEqual([]);
    expect(pings).toHaveLength(2);
    expect(pings.every((ping) => 'method' in ping && ping.method === 'ping')).toBe(true);
  });

  it('gives the server up only after every attempt failed, saying how many', async () => {
    const { pings, send } = flakySend([refused(), new StreamableHTTPError(503, 'Error POSTing to endpoint: Service Unavailable'), refused(), refused()]);
    const gone: string[] = [];
    await new UpstreamLiveness(send, (reason) => gone.push(reason), { attempts: 3, firstRetryMs: 1 }).check();
    expect(pings).toHaveLength(3);
    expect(gone).toEqual(['fetch failed (3 attempts)']);
  });

  it('gives the server up at once when it answers that it forgot the session', async () => {
    const { pings, send } = flakySend([new StreamableHTTPError(404, 'Error POSTing to endpoint: Session not found')]);
    const gone: string[] = [];
    await new UpstreamLiveness(send, (reason) => gone.push(reason), { attempts: 3, firstRetryMs: 1 }).check();
    expect(pings).toHaveLength(1);
    expect(gone).toEqual(['Streamable HTTP error: Error POSTing to endpoint: Session not found']);
  });

  it('stops retrying once the session ended', async () => {
    const { pings, send } = flakySend([refused(), refused(), refused()]);
    const gone: string[] = [];
    const liveness = new UpstreamLiveness(send, (reason) => gone.push(reason), { attempts: 3, firstRetryMs: 20 });
    const checking = liveness.check();
    liveness.stop();
    await checking;
    expect(pings).toHaveLength(1);
    expect(gone).toEqual([]);
  });

  it("runs one check at a time, and its pings are told apart from the server's own answers", async () => {
    const { pings, send } = flakySend([refused()]);
    const liveness = new UpstreamLiveness(send, () => {}, { firstRetryMs: 5 });
    await Promise.all([liveness.check(), liveness.check(), liveness.check()]);
    expect(pings).toHaveLength(2);
    const ids = pings.map((ping) => ('id' in ping ? ping.id : undefined));
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(isLivenessAnswer({ jsonrpc: '2.0', id: id!, result: {} })).toBe(true);
    expect(isLivenessAnswer({ jsonrpc: '2.0', id: 7, result: {} })).toBe(false);
  });
});
