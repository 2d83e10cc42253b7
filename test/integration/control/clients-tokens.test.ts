import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientView, CreatedClientView } from '../../../src-gateway/control/contract.js';
import { control } from '../../helpers/control-client.js';
import { startGatewayProcess, type GatewayProcess } from '../../helpers/gateway-process.js';

describe('clients and tokens through the control API', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { demo: { command: 'airlock', args: ['demo-server'] } } });
  });
  afterAll(async () => gateway?.stop());

  it('creates a client whose token connects an agent, then revokes it and the token is refused', async () => {
    const created = await control<CreatedClientView>(gateway, 'POST', '/control/clients', { name: 'cursor' });
    expect(created).toMatchObject({ status: 200, ok: true, data: { name: 'cursor', token: expect.stringMatching(/^alk_/) } });
    const { token } = created.data;

    const client = await gateway.connect('demo', { token });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const listed = await control<ClientView[]>(gateway, 'GET', '/control/clients');
    expect(listed.data.find((c) => c.name === 'cursor')).toMatchObject({ activeTokens: 1, revokedTokens: 0, lastSeenAt: expect.any(Number) });
    expect(JSON.stringify(listed.data)).not.toContain(token);

    const revoked = await control(gateway, 'DELETE', '/control/clients/cursor');
    expect(revoked).toMatchObject({ status: 200, ok: true, data: { name: 'cursor', revoked: 1 } });
    // The open session's next request is refused too: the token is checked on every request.
    await expect(client.listTools()).rejects.toThrow(/401|unknown or revoked/);
    await expect(gateway.connect('demo', { token })).rejects.toThrow(/401|unknown or revoked/);
    expect(gateway.output()).not.toContain(token);
  });

  it('answers not-found for an unknown client and refuses a bad name', async () => {
    expect(await control(gateway, 'DELETE', '/control/clients/nobody')).toMatchObject({ status: 404, code: 'not-found' });
    expect(await control(gateway, 'POST', '/control/clients', { name: 'has space' })).toMatchObject({ status: 400, code: 'invalid' });
  });
});
