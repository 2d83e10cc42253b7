import { describe, expect, it } from 'vitest';
import { compilePolicy, type CallDescription } from '../../../src-gateway/policy/compile-policy.js';
import { PolicySchema } from '../../../src-gateway/policy/policy-schema.js';

const policyOf = (rules: unknown[], defaultAction?: 'allow' | 'deny') => compilePolicy(PolicySchema.parse({ rules, defaultAction }));

const call = (overrides: Partial<CallDescription> = {}): CallDescription => ({
  server: 'demo',
  method: 'tools/call',
  tool: 'run_sql',
  arguments: {},
  client: 'local',
  groups: [],
  ...overrides,
});

/** Whether a single deny rule with this match applies to the call. */
const matches = (match: unknown, overrides: Partial<CallDescription>) =>
  policyOf([{ id: 'r', match, action: 'deny' }]).evaluate(call(overrides)).action === 'deny';

describe('policy rule matching', () => {
  it.each([
    ['no match block matches every call', undefined, { method: 'initialize', tool: undefined }, true],
    ['an empty match block matches every call', {}, { server: 'x', method: 'ping', tool: undefined }, true],
    ['a server name', { server: 'demo' }, {}, true],
    ['another server name', { server: 'demo' }, { server: 'demo2' }, false],
    ['a server glob with *', { server: 'fs-*' }, { server: 'fs-home' }, true],
    ['a server glob with * matching nothing extra', { server: 'fs-*' }, { server: 'fs-' }, true],
    ['a glob is anchored', { server: 'fs' }, { server: 'my-fs' }, false],
    ['a glob is case-sensitive', { server: 'Demo' }, {}, false],
    ['? is one character', { tool: 'get_?' }, { tool: 'get_a' }, true],
    ['? is exactly one character', { tool: 'get_?' }, { tool: 'get_ab' }, false],
    ['? is one character even outside the BMP', { tool: 'x?' }, { tool: 'x😀' }, true],
    ['glob metacharacters of regexes are literal', { tool: 'a.b(c)' }, { tool: 'aXb(c)' }, false],
    ['glob metacharacters of regexes are literal (same text)', { tool: 'a.b(c)+' }, { tool: 'a.b(c)+' }, true],
    ['a list matches any entry', { tool: ['read_file', 'write_*'] }, { tool: 'write_file' }, true],
    ['a list matches no other', { tool: ['read_file', 'write_*'] }, { tool: 'delete_file' }, false],
    ['a tool rule applies to tools/call only', { tool: 'run_sql' }, { method: 'prompts/get' }, false],
    ['a tool rule needs a tool', { tool: '*' }, { method: 'tools/call', tool: undefined }, false],
    ['a tool glob with a method matches the resource URI', { method: 'resources/read', tool: 'file:///home/*/.ssh/*' }, { method: 'resources/read', tool: 'file:///home/me/.ssh/id_rsa' }, true],
    ['a tool glob with a method matches the prompt name', { method: 'prompts/get', tool: 'draft_*' }, { method: 'prompts/get', tool: 'draft_reply' }, true],
    ['a method glob', { method: 'resources/*' }, { method: 'resources/read', tool: 'file:///x' }, true],
    ['a method without a tool matches calls with no tool', { method: 'tools/list' }, { method: 'tools/list', tool: undefined }, true],
    ['a client glob', { client: 'cursor*' }, { client: 'cursor-work' }, true],
    ['another client', { client: 'cursor*' }, { client: 'claude' }, false],
    ['a group the caller has', { group: ['admins', 'dba'] }, { groups: ['staff', 'dba'] }, true],
    ['a group the caller lacks', { group: 'dba' }, { groups: ['staff'] }, false],
    ['a group is a name, not a glob', { group: 'db*' }, { groups: ['dba'] }, false],
    ['a group rule never matches a caller without groups', { group: 'dba' }, { groups: [] }, false],
    ['every condition must hold', { server: 'demo', tool: 'run_sql', client: 'other' }, {}, false],
  ])('%s', (_name, match, overrides, expected) => {
    expect(matches(match, overrides as Partial<CallDescription>)).toBe(expected);
  });

  const args = { query: 'DROP TABLE users', limit: 10, dry: false, tags: ['a', 'b'], nested: { 'a/b': { '~x': 'deep' } }, nothing: null };
  it.each([
    ['regex on a string', { pointer: '/query', regex: '\\bDROP\\b' }, true],
    ['regex with (?i)', { pointer: '/query', regex: '(?i)\\b(drop|truncate|delete)\\b' }, true],
    ['regex is case-sensitive without (?i)', { pointer: '/query', regex: '\\bdrop\\b' }, false],
    ['regex with (?is) lets . cross lines', { pointer: '/query', regex: '(?is)drop.table' }, true],
    ['regex searches, it is not anchored', { pointer: '/query', regex: 'TABLE' }, true],
    ['regex on a number uses its string form', { pointer: '/limit', regex: '^10$' }, true],
    ['regex on a boolean uses its string form', { pointer: '/dry', regex: '^false$' }, true],
    ['regex on null sees null', { pointer: '/nothing', regex: '^null$' }, true],
    ['regex on an array sees its JSON text', { pointer: '/tags', regex: '^\\["a","b"\\]$' }, true],
    ['regex on the whole arguments sees their JSON text', { pointer: '', regex: '"deep"' }, true],
    ['pointer with escaped / and ~', { pointer: '/nested/a~1b/~0x', equals: 'deep' }, true],
    ['pointer into an array', { pointer: '/tags/1', equals: 'b' }, true],
    ['pointer past an array', { pointer: '/tags/2', regex: '' }, false],
    ['array index with a leading zero is not an index', { pointer: '/tags/01', regex: '' }, false],
    ['a missing member fails the condition', { pointer: '/missing', regex: '' }, false],
    ['a pointer through a string fails', { pointer: '/query/0', regex: '' }, false],
    ['inherited members do not count', { pointer: '/toString', regex: '' }, false],
    ['__proto__ is not a member', { pointer: '/__proto__', regex: '' }, false],
    ['equals a string', { pointer: '/query', equals: 'DROP TABLE users' }, true],
    ['equals is exact', { pointer: '/query', equals: 'drop table users' }, false],
    ['equals a number', { pointer: '/limit', equals: 10 }, true],
    ['equals does not convert', { pointer: '/limit', equals: '10' }, false],
    ['equals null', { pointer: '/nothing', equals: null }, true],
    ['equals an array', { pointer: '/tags', equals: ['a', 'b'] }, true],
    ['equals an array in order', { pointer: '/tags', equals: ['b', 'a'] }, false],
    ['equals an object, key order aside', { pointer: '/nested', equals: { 'a/b': { '~x': 'deep' } } }, true],
    ['equals an object with a key less', { pointer: '', equals: { query: 'DROP TABLE users' } }, false],
    ['contains a substring', { pointer: '/query', contains: 'TABLE' }, true],
    ['contains is case-sensitive', { pointer: '/query', contains: 'table' }, false],
    ['contains on a number', { pointer: '/limit', contains: '1' }, true],
    ['contains on an object sees its JSON text', { pointer: '/nested', contains: '"~x":"deep"' }, true],
  ])('argument condition: %s', (_name, condition, expected) => {
    expect(matches({ arguments: [condition] }, { arguments: args })).toBe(expected);
  });

  it('needs every argument condition to hold', () => {
    const both = { arguments: [{ pointer: '/a', equals: 1 }, { pointer: '/b', equals: 2 }] };
    expect(matches(both, { arguments: { a: 1, b: 2 } })).toBe(true);
    expect(matches(both, { arguments: { a: 1, b: 3 } })).toBe(false);
  });

  it('fails argument conditions when there are no arguments or they are not an object', () => {
    for (const value of [undefined, 'DROP', 42, null, ['DROP']]) {
      expect(matches({ arguments: [{ pointer: '/query', regex: '' }] }, { arguments: value })).toBe(false);
    }
    expect(matches({ arguments: [{ pointer: '', regex: '' }] }, { arguments: undefined })).toBe(false);
    expect(matches({ arguments: [{ pointer: '', contains: 'DROP' }] }, { arguments: 'DROP' })).toBe(true);
  });

  it('stringifies an object once for several conditions, and afresh for the next call', () => {
    const policy = policyOf([{ id: 'both', match: { arguments: [{ pointer: '', contains: '"a"' }, { pointer: '', regex: '"b":2' }] }, action: 'deny' }]);
    expect(policy.evaluate(call({ arguments: { a: 1, b: 2 } })).action).toBe('deny');
    const reused = { a: 1, b: 2 };
    expect(policy.evaluate(call({ arguments: reused })).action).toBe('deny');
    reused.b = 3;
    expect(policy.evaluate(call({ arguments: reused })).action).toBe('allow');
  });
});

describe('policy verdicts', () => {
  it('lets the first matching rule decide', () => {
    const policy = policyOf([
      { id: 'allow-select', match: { tool: 'run_sql', arguments: [{ pointer: '/query', regex: '(?i)^select\\b' }] }, action: 'allow' },
      { id: 'approve-sql', match: { tool: 'run_sql' }, action: 'approve', reason: 'SQL needs a human' },
      { id: 'deny-all', action: 'deny' },
    ]);
    expect(policy.evaluate(call({ arguments: { query: 'select 1' } })).rule?.id).toBe('allow-select');
    const approve = policy.evaluate(call({ arguments: { query: 'DROP TABLE t' } }));
    expect(approve).toMatchObject({ action: 'approve', reason: 'SQL needs a human', rule: { id: 'approve-sql', timeoutSeconds: 120, onTimeout: 'deny' } });
    expect(policy.evaluate(call({ tool: 'other' })).rule?.id).toBe('deny-all');
  });

  it('falls back to defaultAction, allow unless the policy says deny', () => {
    expect(policyOf([]).evaluate(call())).toEqual({ action: 'allow', reason: "no rule matched; the policy's default is allow" });
    const strict = policyOf([{ id: 'reads', match: { tool: 'get_*' }, action: 'allow' }], 'deny').evaluate(call());
    expect(strict.action).toBe('deny');
    expect(strict.rule).toBeUndefined();
  });

  it('gives a reason naming the rule when the rule has none', () => {
    expect(policyOf([{ id: 'no-sql', action: 'deny' }]).evaluate(call()).reason).toBe('denied by policy rule no-sql');
    expect(policyOf([{ id: 'ask', action: 'approve' }]).evaluate(call()).reason).toMatch(/rule ask asks a human/);
    expect(policyOf([{ id: 'no-sql', action: 'deny', reason: 'No SQL here' }]).evaluate(call()).reason).toBe('No SQL here');
  });

  it('returns frozen verdicts that callers cannot alter for the next call', () => {
    const verdict = policyOf([{ id: 'r', action: 'deny' }]).evaluate(call());
    expect(Object.isFrozen(verdict)).toBe(true);
  });
});

describe('mayCall, for hiding tools from tools/list', () => {
  const who = (tool: string, overrides: { server?: string; client?: string; groups?: string[] } = {}) => ({
    server: 'demo', tool, client: 'local', groups: [] as string[], ...overrides,
  });

  it.each([
    ['an unconditional deny hides the tool', [{ id: 'd', match: { tool: 'delete_*' }, action: 'deny' }], 'delete_customer', false],
    ['an unconditional approve shows it', [{ id: 'a', match: { tool: 'delete_*' }, action: 'approve' }], 'delete_customer', true],
    ['a conditional deny cannot decide; the default allow shows it', [{ id: 'd', match: { tool: 'run_sql', arguments: [{ pointer: '/query', regex: 'DROP' }] }, action: 'deny' }], 'run_sql', true],
    ['a conditional deny before an unconditional deny hides it', [
      { id: 'd1', match: { tool: 'run_sql', arguments: [{ pointer: '/query', regex: 'DROP' }] }, action: 'deny' },
      { id: 'd2', match: { tool: 'run_sql' }, action: 'deny' },
    ], 'run_sql', false],
    ['a conditional allow before an unconditional deny shows it', [
      { id: 'a', match: { tool: 'run_sql', arguments: [{ pointer: '/query', regex: '^SELECT' }] }, action: 'allow' },
      { id: 'd', match: { tool: 'run_sql' }, action: 'deny' },
    ], 'run_sql', true],
    ['a rule for another tool does not count', [{ id: 'd', match: { tool: 'delete_*' }, action: 'deny' }], 'run_sql', true],
    ['a rule for another method does not count', [{ id: 'd', match: { method: 'resources/read' }, action: 'deny' }], 'run_sql', true],
    ['a rule for every method counts', [{ id: 'd', match: { server: 'demo' }, action: 'deny' }], 'run_sql', false],
  ])('%s', (_name, rules, tool, expected) => {
    expect(policyOf(rules).mayCall(who(tool))).toBe(expected);
  });

  it('follows defaultAction when no rule decides', () => {
    expect(policyOf([], 'deny').mayCall(who('run_sql'))).toBe(false);
    expect(policyOf([{ id: 'a', match: { tool: 'get_*' }, action: 'allow' }], 'deny').mayCall(who('get_customer'))).toBe(true);
  });

  it('considers the client and the groups', () => {
    const policy = policyOf([
      { id: 'dba', match: { tool: 'run_sql', group: 'dba' }, action: 'allow' },
      { id: 'ci', match: { tool: '*', client: 'ci-*' }, action: 'deny' },
    ]);
    expect(policy.mayCall(who('run_sql', { client: 'ci-bot', groups: ['dba'] }))).toBe(true);
    expect(policy.mayCall(who('run_sql', { client: 'ci-bot' }))).toBe(false);
    expect(policy.mayCall(who('run_sql'))).toBe(true);
  });
});
