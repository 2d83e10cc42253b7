import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { TokenVault } from '../../../src-gateway/masking/token-vault.js';
import { mask } from '../../../src-gateway/pipeline/mask.js';
import type { PipelineContext } from '../../../src-gateway/pipeline/pipeline-types.js';
import { compileMaskingPlan } from '../../../src-gateway/policy/masking-plan.js';
import { MaskingPolicySchema } from '../../../src-gateway/policy/masking-policy-schema.js';
import { serverLogRedactor } from '../../../src-gateway/upstream/server-log-redaction.js';

const TOKEN = 'ghp_C4n4ryUn1tT3stT0k3nAbCdEfGhIjKlMnOpQr';
const plan = compileMaskingPlan(MaskingPolicySchema.parse({}));

/** Runs the mask stage on a message travelling to the agent; returns what would be delivered. */
async function toAgent(message: JSONRPCMessage): Promise<JSONRPCMessage> {
  const ctx = {
    session: { id: 's', server: 'srv', client: 'c', user: null, groups: [] },
    direction: 'to-agent',
    services: { masking: () => plan },
    tokens: new TokenVault(),
    call: { kind: 'method' in message && 'id' in message ? 'request' : 'notification', method: 'method' in message ? message.method : undefined },
  } as unknown as PipelineContext;
  const decision = await mask.run(message, ctx);
  return decision.action === 'continue' && 'message' in decision && decision.message ? decision.message : message;
}

describe('the mask stage on what servers say outside of results', () => {
  it.each([
    ['a log message', { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'error', data: { failed: TOKEN } } }],
    ['a progress message', { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'p1', progress: 1, message: `retrying with ${TOKEN}` } }],
    ['a cancellation reason', { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 3, reason: `token ${TOKEN} expired` } }],
    ['a sampling request', { jsonrpc: '2.0', id: 9, method: 'sampling/createMessage', params: { maxTokens: 5, systemPrompt: `key ${TOKEN}`, messages: [{ role: 'user', content: { type: 'text', text: TOKEN } }] } }],
    ['an elicitation request', { jsonrpc: '2.0', id: 10, method: 'elicitation/create', params: { message: `confirm ${TOKEN}`, requestedSchema: { type: 'object', properties: {} } } }],
  ])('masks a secret in %s', async (_, message) => {
    const delivered = JSON.stringify(await toAgent(message as JSONRPCMessage));
    expect(delivered).not.toContain(TOKEN);
    expect(delivered).toContain('GITHUB_TOKEN');
  });

  it('leaves the fields that steer the protocol alone: progress tokens and request ids', async () => {
    const delivered = (await toAgent({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: TOKEN, progress: 1, message: 'half way' } } as JSONRPCMessage)) as { params: Record<string, unknown> };
    expect(delivered.params.progressToken).toBe(TOKEN);
    expect(delivered.params.message).toBe('half way');
  });
});

describe('server log redaction', () => {
  it('cuts out the secrets Airlock injected, whatever their shape, and masks secret-shaped values', () => {
    const redact = serverLogRedactor(['c4n4ry-pl41n-8f3a1d2e', 'on', 'c4n4ry-pl41n-8f3a1d2e']);
    expect(redact(`connected as c4n4ry-pl41n-8f3a1d2e using ${TOKEN} on port 80`)).toBe('connected as [SECRET] using [GITHUB_TOKEN] on port 80');
  });
});
