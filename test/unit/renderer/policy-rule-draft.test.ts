import { describe, expect, it } from 'vitest';
import { RuleSchema } from '../../../src-gateway/policy/policy-schema.js';
import { DEFAULT_POLICY } from '../../../src-gateway/policy/default-policy.js';
import { EMPTY_DRAFT, draftToRule, fieldOfPath, suggestRuleId } from '../../../src-renderer/pages/policies/rule-draft.js';
import { describeMatch } from '../../../src-renderer/pages/policies/describe-match.js';
import { prefillTarget, suggestCondition } from '../../../src-renderer/pages/policies/call-prefill.js';

describe('the "Add a rule" form', () => {
  it('builds a rule the policy schema accepts, with an id made from its fields', () => {
    const built = draftToRule({ ...EMPTY_DRAFT, server: 'demo', tool: 'run_sql', pointer: '/query', test: 'contains', value: 'DROP TABLE', reason: 'No drops' });
    expect(built).toEqual({
      rule: { id: 'deny-demo-run_sql-DROP-TABLE', action: 'deny', reason: 'No drops', match: { server: 'demo', tool: 'run_sql', arguments: [{ pointer: '/query', contains: 'DROP TABLE' }] } },
    });
    expect(RuleSchema.safeParse((built as { rule: unknown }).rule).success).toBe(true);
  });

  it('reads an equals value as JSON when it is JSON, else as a string', () => {
    const number = draftToRule({ ...EMPTY_DRAFT, tool: 'get_customer', pointer: '/id', test: 'equals', value: '42' });
    const text = draftToRule({ ...EMPTY_DRAFT, tool: 'get_customer', pointer: '/id', test: 'equals', value: 'cus_0001' });
    expect((number as { rule: { match: { arguments: unknown[] } } }).rule.match.arguments).toEqual([{ pointer: '/id', equals: 42 }]);
    expect((text as { rule: { match: { arguments: unknown[] } } }).rule.match.arguments).toEqual([{ pointer: '/id', equals: 'cus_0001' }]);
  });

  it('refuses a rule with neither server nor tool, which would match every call', () => {
    expect(draftToRule({ ...EMPTY_DRAFT, reason: 'everything' })).toEqual({ problem: expect.stringContaining('Name a server or a tool') });
  });

  it('suggests ids the schema accepts whatever is typed', () => {
    for (const [server, tool, value] of [['', '', ''], ['my server!', 'tools/*', '~/.ssh/id_rsa'], ['-x-', '__', '"quoted" & more'], ['a'.repeat(200), 'b'.repeat(200), 'c'.repeat(200)]]) {
      const id = suggestRuleId({ action: 'approve', server, tool, value });
      expect(RuleSchema.safeParse({ id, action: 'approve' }).success, id).toBe(true);
    }
  });

  it('places the API’s validation errors next to the field they are about', () => {
    expect(fieldOfPath('rule.match.arguments.0.regex')).toBe('value');
    expect(fieldOfPath('rule.match.arguments.0.pointer')).toBe('pointer');
    expect(fieldOfPath('rule.match.tool.1')).toBe('tool');
    expect(fieldOfPath('rule.id')).toBe('id');
    expect(fieldOfPath('rule')).toBeUndefined();
  });
});

describe('rules in words', () => {
  it('says what each default rule matches, shortening long patterns', () => {
    const words = Object.fromEntries(DEFAULT_POLICY.rules.map((rule) => [rule.id, describeMatch(rule.match ?? {})]));
    expect(words['approve-demo-delete-customer']).toBe('tool delete_customer on server demo');
    expect(words['deny-read-secret-resources']).toBe('resources/read file://*/.ssh/* or file://*/.env on any server');
    expect(words['deny-rm-rf-root']).toMatch(/^any tool on any server, when argument \/command runs rm with arguments \/.{20,}…\/ \(parsed as a shell command\)$/);
    expect(words['approve-destructive-sql']).toBe('any tool on any server, when argument /query runs SQL DROP, TRUNCATE, ALTER, DELETE without a narrowing WHERE or UPDATE without a narrowing WHERE');
    expect(describeMatch({})).toBe('any call on any server');
    expect(describeMatch({ client: ['ci-*', 'bot'], arguments: [{ pointer: '', equals: { a: 1 } }] })).toBe('any call on any server from client ci-* or bot, when the arguments equal {"a":1}');
  });
});

describe('drafting a rule from a recorded call', () => {
  it('suggests the first string argument that was not masked when recorded', () => {
    const args = { filters: { email: '<email_1>', note: 'DROP TABLE orders' }, limit: 5 };
    expect(suggestCondition(args, ['/filters/email'])).toEqual({ pointer: '/filters/note', value: 'DROP TABLE orders' });
    expect(suggestCondition({ 'a/b': ['x'] }, [])).toEqual({ pointer: '/a~1b/0', value: 'x' });
    expect(suggestCondition({ n: 1 }, [])).toBeUndefined();
    expect(suggestCondition({ q: 'y'.repeat(500) }, [])?.value).toHaveLength(80);
  });

  it('reads the link History makes, and explains an incomplete one', () => {
    expect(prefillTarget('?session=abc&from=17')).toEqual({ sessionId: 'abc', messageId: 17 });
    expect(prefillTarget('')).toBeUndefined();
    expect(prefillTarget('?from=17')).toEqual({ problem: expect.stringContaining('/policies?session=') });
    expect(prefillTarget('?session=abc&from=x')).toEqual({ problem: expect.any(String) });
  });
});
