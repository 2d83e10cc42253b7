import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyValidationView, PolicyView, RuleView } from '../../../src-gateway/control/contract.js';
import { control, type PendingApprovalView } from '../../helpers/control-client.js';
import { startGatewayProcess, waitFor, type GatewayProcess } from '../../helpers/gateway-process.js';

const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0].text;

/** What the tray window's "block calls like this" sends for a recorded run_sql call. */
const blockDrop = {
  id: 'block-drop',
  action: 'deny',
  match: { server: 'demo', tool: 'run_sql', arguments: [{ pointer: '/query', contains: 'DROP' }] },
  reason: 'No DROP through agents',
};

describe('policy rules through the control API', () => {
  let gateway: GatewayProcess;
  const rules = async () => (await control<PolicyView>(gateway, 'GET', '/control/policy')).data.rules;
  const pending = async () => (await control<PendingApprovalView[]>(gateway, 'GET', '/control/approvals')).data;

  beforeAll(async () => {
    gateway = await startGatewayProcess({ servers: { demo: { command: 'airlock', args: ['demo-server'] } } });
  });
  afterAll(async () => gateway?.stop());

  it('denies the next matching call once a local rule is added, naming it, and lets the call through once it is removed', async () => {
    const client = await gateway.connect('demo');
    const harmless = { name: 'run_sql', arguments: { query: "SELECT 'DROP' AS word" } };
    expect((await client.callTool(harmless)).isError).toBeFalsy();

    const added = await control<RuleView>(gateway, 'POST', '/control/policy/local-rules', { rule: blockDrop });
    expect(added).toMatchObject({ status: 200, ok: true, data: { ...blockDrop, source: 'local' } });

    const denied = await client.callTool(harmless);
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toBe('Airlock blocked this call: No DROP through agents (rule block-drop)');
    // Local rules decide first: a DROP TABLE is now denied outright instead of held for a person.
    expect(textOf(await client.callTool({ name: 'run_sql', arguments: { query: 'DROP TABLE orders' } }))).toMatch(/\(rule block-drop\)$/);
    expect(await pending()).toEqual([]);

    const removed = await control(gateway, 'DELETE', '/control/policy/local-rules/block-drop');
    expect(removed).toMatchObject({ status: 200, ok: true, data: { id: 'block-drop' } });
    const allowed = await client.callTool(harmless);
    expect(allowed.isError).toBeFalsy();
    expect(textOf(allowed)).toMatch(/"word": "DROP"/);
    expect(JSON.parse(readFileSync(join(gateway.dataDir, 'local-policy.json'), 'utf8'))).toEqual({ rules: [] });
  });

  it('lists the rules in evaluation order with their sources, and keeps default rules read-only', async () => {
    await control(gateway, 'POST', '/control/policy/local-rules', { rule: { id: 'listed', action: 'allow', match: { tool: 'list_customers' } } });
    const view = (await control<PolicyView>(gateway, 'GET', '/control/policy')).data;
    expect(view.defaultAction).toBe('allow');
    expect(view.status).toMatchObject({ source: null, ruleCount: view.rules.length });
    expect(view.rules[0]).toEqual({ id: 'listed', source: 'local', action: 'allow', match: { tool: 'list_customers' } });
    expect(new Set(view.rules.slice(1).map((rule) => rule.source))).toEqual(new Set(['default']));
    expect(view.rules.map((rule) => rule.id)).toContain('approve-destructive-sql');

    const readOnly = await control(gateway, 'DELETE', '/control/policy/local-rules/approve-destructive-sql');
    expect(readOnly).toMatchObject({ status: 409, ok: false, code: 'read-only' });
    expect(readOnly.message).toMatch(/built-in default policy/);
    expect(await control(gateway, 'DELETE', '/control/policy/local-rules/nope')).toMatchObject({ status: 404, code: 'not-found' });
    expect(await control(gateway, 'DELETE', '/control/policy/local-rules/listed')).toMatchObject({ status: 200, ok: true });
  });

  it('keeps "allow always" working: the answer adds a local rule for exactly that call, listed with the others', async () => {
    const client = await gateway.connect('demo');
    const call = { name: 'delete_customer', arguments: { id: 'cus_0003', reason: 'test' } };
    const first = client.callTool(call);
    const held = await waitFor(async () => (await pending()).find((p) => p.tool === 'delete_customer'), 'delete_customer to be held');
    expect((await control(gateway, 'POST', `/control/approvals/${held.id}/decision`, { decision: 'allow-always' })).ok).toBe(true);
    expect((await first).isError).toBeFalsy();

    const local = (await rules()).filter((rule) => rule.source === 'local');
    expect(local).toEqual([expect.objectContaining({ action: 'allow', match: { server: 'demo', method: 'tools/call', tool: 'delete_customer', arguments: [{ pointer: '', equals: call.arguments }] } })]);
    // The same call again is allowed without asking (the customer is gone, so the server says so).
    expect(textOf(await client.callTool(call))).toMatch(/cus_0003/);
    expect(await pending()).toEqual([]);
  });

  it('validates a draft without applying it, giving the line of a YAML error and the path of a schema error', async () => {
    const syntax = await control<PolicyValidationView>(gateway, 'POST', '/control/policy/validate', { text: 'rules:\n  - id: a\n\t action: deny\n' });
    expect(syntax.data).toMatchObject({ valid: false, errors: [{ path: '', message: expect.stringMatching(/^line 3, column 1: /) }] });
    const schema = await control<PolicyValidationView>(gateway, 'POST', '/control/policy/validate', { text: '{"rules": [{"id": "a", "action": "deny", "match": {"tool": 5}}]}', format: 'json' });
    expect(schema.data).toEqual({ valid: false, ruleCount: 0, errors: [{ path: 'rules.0.match.tool', message: 'expected a string or a list of strings' }] });
    expect((await rules()).map((rule) => rule.id)).not.toContain('a');
  });

  it('refuses a rule with a "__proto__" key as sent over HTTP, instead of dropping the key', async () => {
    const token = readFileSync(join(gateway.dataDir, 'control-token'), 'utf8').trim();
    const response = await fetch(new URL('/control/policy/local-rules', gateway.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"rule": {"id": "wide", "action": "allow", "__proto__": {"match": {"server": "demo", "tool": "run_sql"}}}}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, code: 'invalid', message: 'body.rule: Unrecognized key: "__proto__"' });
    expect((await rules()).map((rule) => rule.id)).not.toContain('wide');
  });
});
