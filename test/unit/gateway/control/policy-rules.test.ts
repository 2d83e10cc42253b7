import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RuleView } from '../../../../src-gateway/control/contract.js';
import { addAlwaysAllowRule, LOCAL_RULES_FILE } from '../../../../src-gateway/policy/local-rules.js';
import { openPolicyControl, type PolicyControlHarness } from './policy-control-harness.js';

const blockDrop = {
  id: 'block-drop',
  action: 'deny',
  match: { server: 'demo', tool: 'run_sql', arguments: [{ pointer: '/query', contains: 'DROP' }] },
  reason: 'No DROP through agents',
};
const dropCall = { server: 'demo', method: 'tools/call', tool: 'run_sql', arguments: { query: 'DROP TABLE customers' }, client: 'local', groups: [] };
const FILE_POLICY = { name: 'policy.yaml', text: 'rules:\n  - id: ask-sql\n    match: { tool: run_sql }\n    action: approve\ndefaultAction: deny\n' };

let harness: PolicyControlHarness;
afterEach(() => harness?.close());

const localFile = () => JSON.parse(readFileSync(join(harness.dataDir, LOCAL_RULES_FILE), 'utf8')) as { rules: Array<{ id: string }> };
const ids = async () => {
  const status = await harness.call('policyStatus');
  if (!status.ok) throw new Error(status.message);
  return status.data.rules.map((rule) => `${rule.source}:${rule.id}`);
};

describe('listing the rules in force', () => {
  it('lists the embedded default policy as "default", in evaluation order, with what happens when nothing matches', async () => {
    harness = openPolicyControl();
    const status = await harness.call('policyStatus');
    if (!status.ok) throw new Error(status.message);
    const { rules, defaultAction } = status.data;
    expect(defaultAction).toBe('allow');
    expect(status.data.status).toMatchObject({ source: null, ruleCount: rules.length });
    expect(rules.every((rule) => rule.source === 'default')).toBe(true);
    expect(rules.find((rule) => rule.id === 'approve-demo-delete-customer')).toEqual({
      id: 'approve-demo-delete-customer',
      source: 'default',
      action: 'approve',
      description: "The demo back office's delete_customer",
      reason: 'Deleting a customer is permanent; a human decides',
      match: { server: 'demo', tool: 'delete_customer' },
      timeoutSeconds: 120,
      onTimeout: 'deny',
    } satisfies RuleView);
  });

  it('puts local rules before the policy file, each with its source, and reports the file\'s default action', async () => {
    harness = openPolicyControl({ policy: FILE_POLICY });
    await harness.call('addLocalRule', { body: { rule: blockDrop } });
    expect(await ids()).toEqual(['local:block-drop', 'file:ask-sql']);
    const status = await harness.call('policyStatus');
    expect(status.ok && status.data.defaultAction).toBe('deny');
    expect(status.ok && status.data.status.source).toBe(harness.policyFile);
  });

  it('lists no rules and refuses everything while the local rules have never loaded: they may hold denials', async () => {
    harness = openPolicyControl({ localRules: '{"rules": [{"id": "block-drop", "action": "deny", "match": {"tool": 5}}]}' });
    const status = await harness.call('policyStatus');
    expect(status).toMatchObject({ ok: true, data: { rules: [], defaultAction: 'deny', status: { error: expect.stringMatching(/local-policy\.json is invalid/) } } });
    expect(harness.policy.current().evaluate({ ...dropCall, arguments: { query: 'SELECT 1' } })).toMatchObject({ action: 'deny', reason: expect.stringMatching(/no valid policy/) });
  });

  it('answers from what was loaded, not by reading the files again', async () => {
    harness = openPolicyControl({ policy: FILE_POLICY });
    writeFileSync(harness.policyFile!, 'rules: []\n');
    expect(await ids()).toEqual(['file:ask-sql']);
    harness.policy.reload();
    expect(await ids()).toEqual([]);
  });
});

describe('reload listeners', () => {
  it('are told the status after every reload, failed ones included, until they unsubscribe', async () => {
    harness = openPolicyControl({ policy: FILE_POLICY });
    const seen: Array<string | undefined> = [];
    const unsubscribe = harness.policy.onReload((status) => seen.push(status.error));
    await harness.call('addLocalRule', { body: { rule: blockDrop } });
    writeFileSync(harness.policyFile!, 'rules: 5\n');
    harness.policy.reload();
    unsubscribe();
    harness.policy.reload();
    expect(seen).toEqual([undefined, expect.stringMatching(/rules: /)]);
  });
});

describe('adding a local rule', () => {
  it('denies the next matching call, naming the rule, ahead of the default policy\'s approval', async () => {
    harness = openPolicyControl();
    expect(harness.policy.current().evaluate(dropCall).action).toBe('approve');
    const added = await harness.call('addLocalRule', { body: { rule: blockDrop } });
    expect(added).toEqual({ ok: true, data: { ...blockDrop, source: 'local' } });
    const verdict = harness.policy.current().evaluate(dropCall);
    expect(verdict).toMatchObject({ action: 'deny', reason: 'No DROP through agents', rule: { id: 'block-drop' } });
    expect(harness.policy.current().evaluate({ ...dropCall, arguments: { query: 'SELECT 1' } }).action).toBe('allow');
  });

  it('puts the new rule first among the local rules, before earlier ones and "always allow" answers', async () => {
    harness = openPolicyControl({ policy: FILE_POLICY });
    const always = addAlwaysAllowRule(harness.dataDir, { server: 'demo', method: 'tools/call', tool: 'run_sql', arguments: { query: 'DROP TABLE t' } });
    harness.policy.reload();
    await harness.call('addLocalRule', { body: { rule: { id: 'first', action: 'allow', match: { tool: 'a' } } } });
    await harness.call('addLocalRule', { body: { rule: { id: 'second', action: 'allow', match: { tool: 'b' } } } });
    expect(await ids()).toEqual(['local:second', 'local:first', `local:${always.id}`, 'file:ask-sql']);
    expect(localFile().rules.map((rule) => rule.id)).toEqual(['second', 'first', always.id]);
  });

  it('keeps "always allow" working next to added rules: the person\'s answer allows exactly that call', async () => {
    harness = openPolicyControl({ policy: FILE_POLICY });
    await harness.call('addLocalRule', { body: { rule: { id: 'deny-delete', action: 'deny', match: { tool: 'delete_customer' } } } });
    const call = { ...dropCall, arguments: { query: 'SELECT 2' } };
    expect(harness.policy.current().evaluate(call).action).toBe('approve');
    addAlwaysAllowRule(harness.dataDir, call);
    harness.policy.reload();
    expect(harness.policy.current().evaluate(call).action).toBe('allow');
    expect(harness.policy.current().evaluate({ ...call, arguments: { query: 'SELECT 3' } }).action).toBe('approve');
    expect(harness.policy.current().evaluate({ ...call, tool: 'delete_customer' }).action).toBe('deny');
  });

  it('refuses an id already in force, saying where it comes from, and writes nothing', async () => {
    harness = openPolicyControl({ policy: FILE_POLICY });
    await harness.call('addLocalRule', { body: { rule: blockDrop } });
    const local = await harness.call('addLocalRule', { body: { rule: { ...blockDrop, action: 'allow' } } });
    expect(local).toMatchObject({ ok: false, code: 'conflict', message: 'there is already a rule "block-drop" among the local rules; give the new rule another id' });
    const file = await harness.call('addLocalRule', { body: { rule: { id: 'ask-sql', action: 'allow' } } });
    expect(file).toMatchObject({ ok: false, code: 'conflict', message: expect.stringContaining(`in the policy file ${harness.policyFile}`) });
    expect(localFile().rules.map((rule) => rule.id)).toEqual(['block-drop']);
  });

  it('refuses the id of a built-in default rule', async () => {
    harness = openPolicyControl();
    const result = await harness.call('addLocalRule', { body: { rule: { id: 'approve-destructive-sql', action: 'allow' } } });
    expect(result).toMatchObject({ ok: false, code: 'conflict', message: expect.stringContaining("in Airlock's built-in default policy") });
  });

  it('applies while the policy file is broken, on top of its last good version', async () => {
    harness = openPolicyControl({ policy: FILE_POLICY });
    writeFileSync(harness.policyFile!, 'rules: [ {id: x, action: maybe} ]\n');
    expect(harness.policy.reload()).toMatch(/rules\.0\.action/);
    const added = await harness.call('addLocalRule', { body: { rule: blockDrop } });
    expect(added.ok).toBe(true);
    expect(await ids()).toEqual(['local:block-drop', 'file:ask-sql']);
    expect(harness.policy.current().evaluate(dropCall).action).toBe('deny');
    const status = await harness.call('policyStatus');
    expect(status.ok && status.data.status.error).toMatch(/rules\.0\.action/);
  });

  it('refuses to touch a local rules file that does not validate, naming it', async () => {
    harness = openPolicyControl();
    writeFileSync(join(harness.dataDir, LOCAL_RULES_FILE), '{"rules": [{"id": "x"}]}');
    const result = await harness.call('addLocalRule', { body: { rule: blockDrop } });
    expect(result).toMatchObject({ ok: false, code: 'conflict', message: expect.stringMatching(/until their file is fixed or removed: .*local-policy\.json is invalid:\n.*rules\.0\.action/) });
    expect(readFileSync(join(harness.dataDir, LOCAL_RULES_FILE), 'utf8')).toBe('{"rules": [{"id": "x"}]}');
  });
});

describe('the body of a local rule', () => {
  const big = 'x'.repeat(70 * 1024);
  it.each([
    ['no rule', {}, 'body.rule'],
    ['a rule that is a string', { rule: 'deny everything' }, 'body.rule: expected an object'],
    ['a rule that is an array', { rule: [blockDrop] }, 'body.rule: expected an object'],
    ['a rule that is null', { rule: null }, 'body.rule: expected an object'],
    ['an extra field next to the rule', { rule: blockDrop, position: 0 }, 'body: Unrecognized key: "position"'],
    ['an extra field in the rule', { rule: { ...blockDrop, priority: 1 } }, 'body.rule: Unrecognized key: "priority"'],
    ['an extra field in the match', { rule: { ...blockDrop, match: { ...blockDrop.match, tools: 'x' } } }, 'body.rule.match: Unrecognized key: "tools"'],
    ['an unknown action', { rule: { ...blockDrop, action: 'block' } }, 'body.rule.action'],
    ['an id with a space', { rule: { ...blockDrop, id: 'block drop' } }, 'body.rule.id: a rule id uses letters'],
    ['an id that is a number', { rule: { ...blockDrop, id: 7 } }, 'body.rule.id'],
    ['a tool that is a number', { rule: { ...blockDrop, match: { tool: 5 } } }, 'body.rule.match.tool: expected a string or a list of strings'],
    ['a regex that does not compile', { rule: { ...blockDrop, match: { arguments: [{ pointer: '/q', regex: '(' }] } } }, 'body.rule.match.arguments.0.regex'],
    ['a condition with two tests', { rule: { ...blockDrop, match: { arguments: [{ pointer: '/q', regex: 'a', contains: 'a' }] } } }, 'body.rule.match.arguments.0: give exactly one of regex, equals, contains, shell or sql'],
    ['a timeout on a deny rule', { rule: { ...blockDrop, timeoutSeconds: 5 } }, 'body.rule.timeoutSeconds: only approve rules wait'],
    ['a huge reason', { rule: { ...blockDrop, reason: big } }, 'body.rule is 71 KiB of JSON; a local rule may be at most 64 KiB'],
    ['a huge id', { rule: { ...blockDrop, id: 'a'.repeat(200) } }, 'body.rule.id: a rule id uses letters, digits, "_", ".", ":" and "-" (max 128)'],
  ])('refuses %s, naming the field', async (_what, body, message) => {
    harness = openPolicyControl();
    const result = await harness.call('addLocalRule', { body });
    expect(result).toMatchObject({ ok: false, code: 'invalid' });
    expect(!result.ok && result.message).toContain(message);
    expect(await ids()).not.toContain('local:block-drop');
  });

  it.each([
    ['the rule', '{"rule": {"id": "r", "action": "allow", "__proto__": {"match": {"server": "demo"}}}}', 'body.rule: Unrecognized key: "__proto__"'],
    ['the match', '{"rule": {"id": "r", "action": "allow", "match": {"__proto__": {"server": "demo"}}}}', 'body.rule.match: Unrecognized key: "__proto__"'],
    ['a condition', '{"rule": {"id": "r", "action": "deny", "match": {"arguments": [{"pointer": "/q", "__proto__": {"contains": "x"}}]}}}', 'body.rule.match.arguments.0: Unrecognized key: "__proto__"'],
  ])('refuses a "__proto__" key in %s instead of dropping it and widening the rule', async (_where, json, message) => {
    harness = openPolicyControl();
    const result = await harness.call('addLocalRule', { body: JSON.parse(json) });
    expect(result).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining(message) });
    expect(Object.prototype).not.toHaveProperty('match');
    expect(await ids()).not.toContain('local:r');
  });

  it('keeps a "__proto__" key inside an equals value as data, matching only calls that have it', async () => {
    harness = openPolicyControl();
    const body = JSON.parse('{"rule": {"id": "r", "action": "deny", "match": {"arguments": [{"pointer": "/o", "equals": {"__proto__": {"x": 1}}}]}}}');
    expect((await harness.call('addLocalRule', { body })).ok).toBe(true);
    const call = (args: string) => ({ server: 's', method: 'tools/call', tool: 't', arguments: JSON.parse(args), client: 'c', groups: [] });
    expect(harness.policy.current().evaluate(call('{"o": {"__proto__": {"x": 1}}}')).action).toBe('deny');
    expect(harness.policy.current().evaluate(call('{"o": {}}')).action).toBe('allow');
    expect(Object.prototype).not.toHaveProperty('x');
  });
});

describe('removing a local rule', () => {
  it('removes it, and the call it denied is decided by the rules after it again', async () => {
    harness = openPolicyControl();
    await harness.call('addLocalRule', { body: { rule: blockDrop } });
    expect(await harness.call('removeLocalRule', { params: { id: 'block-drop' } })).toEqual({ ok: true, data: { id: 'block-drop' } });
    expect(harness.policy.current().evaluate(dropCall).action).toBe('approve');
    expect(localFile().rules).toEqual([]);
  });

  it('refuses a policy file rule as read-only, saying which file to edit', async () => {
    harness = openPolicyControl({ policy: FILE_POLICY });
    const result = await harness.call('removeLocalRule', { params: { id: 'ask-sql' } });
    expect(result).toMatchObject({ ok: false, code: 'read-only' });
    expect(!result.ok && result.message).toContain(`comes from the policy file ${harness.policyFile}; edit it there`);
  });

  it('refuses a default rule as read-only, saying how to change it', async () => {
    harness = openPolicyControl();
    const result = await harness.call('removeLocalRule', { params: { id: 'approve-destructive-sql' } });
    expect(result).toMatchObject({ ok: false, code: 'read-only' });
    expect(!result.ok && result.message).toMatch(/built-in default policy; to change it, write your own policy file/);
  });

  it('answers not-found for an id no rule has', async () => {
    harness = openPolicyControl();
    expect(await harness.call('removeLocalRule', { params: { id: 'nope' } })).toMatchObject({ ok: false, code: 'not-found' });
  });
});

describe('checking a call against the policy', () => {
  it('names the deciding rule, or "default" when none matches', async () => {
    harness = openPolicyControl();
    const sql = await harness.call('checkPolicy', { body: { server: 'demo', tool: 'run_sql', arguments: { query: 'truncate table orders' } } });
    expect(sql).toEqual({ ok: true, data: { action: 'approve', rule: 'approve-destructive-sql', reason: 'Destructive SQL needs a human' } });
    const other = await harness.call('checkPolicy', { body: { server: 'demo', tool: 'find_customer' } });
    expect(other).toMatchObject({ ok: true, data: { action: 'allow', rule: 'default' } });
  });

  it.each([
    ['no server', { tool: 'run_sql' }, 'body.server'],
    ['an empty server', { server: '' }, 'body.server'],
    ['groups that are not a list', { server: 'demo', groups: 'admins' }, 'body.groups'],
    ['an extra field', { server: 'demo', rule: 'x' }, 'Unrecognized key: "rule"'],
  ])('refuses a check with %s', async (_what, body, message) => {
    harness = openPolicyControl();
    const result = await harness.call('checkPolicy', { body });
    expect(result).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining(message) });
  });
});
