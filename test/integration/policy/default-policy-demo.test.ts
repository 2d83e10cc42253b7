import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, type PendingApprovalView } from '../../helpers/control-client.js';
import { runCli, startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;

/** The out-of-the-box experience: the embedded default policy in front of the demo back office. */
describe('the default policy protects the demo back office', () => {
  let gateway: GatewayProcess;
  const pending = async () => (await control<PendingApprovalView[]>(gateway, 'GET', '/control/approvals')).data;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { demo: { command: 'airlock', args: ['demo-server'] } } });
  });
  afterAll(async () => gateway?.stop());

  it('lets a harmless query through', async () => {
    const client = await gateway.connect('demo');
    const result = await client.callTool({ name: 'run_sql', arguments: { query: 'SELECT count(*) AS n FROM customers' } });
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toMatch(/"n": 50/);
  });

  it('holds destructive SQL for a person, and the terminal CLI can deny it with a reason', async () => {
    const client = await gateway.connect('demo');
    const call = client.callTool({ name: 'run_sql', arguments: { query: 'DROP TABLE customers' } });
    const held = await waitFor(async () => (await pending()).find((p) => p.tool === 'run_sql'), 'the DROP to be held');
    expect(held.ruleId).toBe('approve-destructive-sql');

    const listed = await runCli(['approvals', 'list', '--data-dir', gateway.dataDir]);
    expect(listed.stdout).toContain(`${held.id.slice(0, 8)}  test → demo: run_sql {"query":"DROP TABLE customers"}  rule approve-destructive-sql`);
    const denied = await runCli(['approvals', 'deny', held.id.slice(0, 8), '--reason', 'production data', '--data-dir', gateway.dataDir]);
    expect(denied.code).toBe(0);
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/A person denied this call: production data \(rule approve-destructive-sql\)/);
    // The table is still there.
    expect(textOf(await client.callTool({ name: 'run_sql', arguments: { query: 'SELECT count(*) AS n FROM customers' } }))).toMatch(/"n": 50/);
  });

  it('holds delete_customer, and the terminal CLI can allow it', async () => {
    const client = await gateway.connect('demo');
    const call = client.callTool({ name: 'delete_customer', arguments: { id: 'cus_0001' } });
    const held = await waitFor(async () => (await pending()).find((p) => p.tool === 'delete_customer'), 'delete_customer to be held');
    expect(held.ruleId).toBe('approve-demo-delete-customer');
    expect((await runCli(['approvals', 'allow', held.id, '--data-dir', gateway.dataDir])).code).toBe(0);
    expect((await call).isError).toBeFalsy();
  });

  it('withdraws a held call when the agent ends its session', async () => {
    const client = await gateway.connect('demo');
    const call = client.callTool({ name: 'delete_customer', arguments: { id: 'cus_0002' } }).catch((error: Error) => error);
    const held = await waitFor(async () => (await pending()).find((p) => p.tool === 'delete_customer'), 'delete_customer to be held');
    await (client.transport as unknown as { terminateSession(): Promise<void> }).terminateSession();
    await waitFor(async () => !(await pending()).some((p) => p.id === held.id), 'the approval to be withdrawn');
    await client.close();
    await call;
  });

  it('answers a policy check through the control API as the terminal command does', async () => {
    const check = await control<{ action: string; rule: string }>(gateway, 'POST', '/control/policy/check', { server: 'demo', tool: 'run_sql', arguments: { query: 'truncate table orders' } });
    expect(check.data).toMatchObject({ action: 'approve', rule: 'approve-destructive-sql' });
    const invalid = await control(gateway, 'POST', '/control/policy/check', { tool: 'run_sql' });
    expect(invalid.status).toBe(400);
    expect(invalid.message).toMatch(/server/);
  });

  it('refuses the control API without its token, and with an agent\'s token', async () => {
    expect((await fetch(new URL('/control/approvals', gateway.url))).status).toBe(401);
    expect((await fetch(new URL('/control/approvals', gateway.url), { headers: { authorization: `Bearer ${gateway.token}` } })).status).toBe(401);
  });
});
