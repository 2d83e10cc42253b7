import { afterEach, describe, expect, it } from 'vitest';
import type { ClientView } from '../../../../src-gateway/control/contract.js';
import { MessageLog } from '../../../../src-gateway/store/message-log.js';
import { openPolicyControl, type PolicyControlHarness } from './policy-control-harness.js';

let harness: PolicyControlHarness;
afterEach(() => harness?.close());

async function clients(): Promise<ClientView[]> {
  const result = await harness.call('listClients');
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('clients and their tokens', () => {
  it('lists each client once: its first token\'s creation, live and revoked tokens, and its latest session', async () => {
    harness = openPolicyControl();
    harness.tokens.create('cursor', 1_000);
    harness.tokens.revoke('cursor', 1_500);
    harness.tokens.create('cursor', 2_000);
    harness.tokens.create('cursor', 3_000);
    harness.tokens.create('ci', 4_000);
    const log = new MessageLog(harness.db);
    log.startSession({ id: 's1', server: 'demo', client: 'cursor', startedAt: 5_000 });
    log.startSession({ id: 's2', server: 'demo', client: 'cursor', startedAt: 7_000 });
    log.startSession({ id: 's3', server: 'demo', client: 'gone', startedAt: 8_000 });
    expect(await clients()).toEqual([
      { name: 'cursor', createdAt: 1_000, activeTokens: 2, revokedTokens: 1, lastSeenAt: 7_000 },
      { name: 'ci', createdAt: 4_000, activeTokens: 1, revokedTokens: 0, lastSeenAt: null },
    ]);
  });

  it('creates a token that identifies the client, answers it once, and never logs it', async () => {
    harness = openPolicyControl();
    const created = await harness.call('createClient', { body: { name: 'claude-code' } });
    expect(created.ok).toBe(true);
    const { name, token } = created.ok ? created.data : { name: '', token: '' };
    expect(name).toBe('claude-code');
    expect(token).toMatch(/^alk_[A-Za-z0-9_-]{43}$/);
    expect(harness.tokens.clientFor(token)).toBe('claude-code');
    expect(JSON.stringify(await clients())).not.toContain(token);
    expect(harness.logs.join('\n')).not.toContain(token);
    // A second token for the same client is another token, not a replacement.
    const again = await harness.call('createClient', { body: { name: 'claude-code' } });
    expect(again.ok && again.data.token).not.toBe(token);
    expect(harness.tokens.clientFor(token)).toBe('claude-code');
  });

  it.each([
    ['no name', {}, 'body.name'],
    ['an empty name', { name: '' }, 'body.name'],
    ['a name with a space', { name: 'my agent' }, 'use letters, digits'],
    ['a name with a slash', { name: '../local' }, 'use letters, digits'],
    ['a 65-character name', { name: 'a'.repeat(65) }, '(max 64)'],
    ['a megabyte name', { name: 'a'.repeat(1024 * 1024) }, '(max 64)'],
    ['a name that is a number', { name: 7 }, 'body.name'],
    ['an extra field', { name: 'ok', token: 'alk_chosen' }, 'Unrecognized key: "token"'],
    ['a "__proto__" key', JSON.parse('{"name": "ok", "__proto__": {"admin": true}}'), 'Unrecognized key: "__proto__"'],
  ])('refuses to create a client with %s', async (_what, body, message) => {
    harness = openPolicyControl();
    const result = await harness.call('createClient', { body });
    expect(result).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining(message) });
    expect(harness.tokens.all()).toEqual([]);
  });

  it('revokes every token of a client, and the tokens stop identifying it', async () => {
    harness = openPolicyControl();
    const first = harness.tokens.create('cursor');
    const second = harness.tokens.create('cursor');
    const other = harness.tokens.create('ci');
    expect(await harness.call('revokeClient', { params: { name: 'cursor' } })).toEqual({ ok: true, data: { name: 'cursor', revoked: 2 } });
    expect(harness.tokens.clientFor(first)).toBeUndefined();
    expect(harness.tokens.clientFor(second)).toBeUndefined();
    expect(harness.tokens.clientFor(other)).toBe('ci');
    expect((await clients())[0]).toMatchObject({ name: 'cursor', activeTokens: 0, revokedTokens: 2 });
    // Again: nothing left to revoke, and that is no error.
    expect(await harness.call('revokeClient', { params: { name: 'cursor' } })).toEqual({ ok: true, data: { name: 'cursor', revoked: 0 } });
  });

  it('answers not-found for a client that never had a token', async () => {
    harness = openPolicyControl();
    expect(await harness.call('revokeClient', { params: { name: 'nobody' } })).toMatchObject({ ok: false, code: 'not-found', message: expect.stringContaining('"nobody"') });
  });

  it('revokes the built-in "local" client, saying how to get a new token', async () => {
    harness = openPolicyControl();
    const token = harness.tokens.create('local');
    const result = await harness.call('revokeClient', { params: { name: 'local' } });
    expect(result).toMatchObject({ ok: true, data: { name: 'local', revoked: 1, message: expect.stringMatching(/Restart the gateway .* to create a new one/) } });
    expect(harness.tokens.clientFor(token)).toBeUndefined();
  });
});
