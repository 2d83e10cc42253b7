import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, type CallDescription } from '../../../src-gateway/policy/compile-policy.js';
import { DEFAULT_POLICY } from '../../../src-gateway/policy/default-policy.js';
import { PolicySchema, type ArgumentCondition, type Policy, type Rule } from '../../../src-gateway/policy/policy-schema.js';

// Small alphabets, so that generated rules and calls meet often enough to exercise every condition.
const NAMES = ['a', 'b', 'ab', 'fs', 'demo', 'a/b', '😀'];
const GLOBS = [...NAMES, '*', '?', 'a*', '*b', '?b', 'a?', 'd*o', '**', '*/*', '?😀'];
const METHODS = ['tools/call', 'resources/read', 'prompts/get', 'tools/list'];
const GROUPS = ['admin', 'dev', 'ops'];
const KEYS = ['a', 'b', 'a/b', '~', '0', '__proto__'];

const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary' }));
const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: anyString });
const oneOrMany = <T>(item: fc.Arbitrary<T>) => fc.oneof(item, fc.array(item, { minLength: 1, maxLength: 3 }));

const smallJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('a', 'b', 'a"b', 'A', 1, 0, -0, -1.5, true, false, null),
  fc.array(fc.constantFrom('a', 1, null), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('a', 'b'), fc.constantFrom('a', 1, true), { maxKeys: 2 }),
);
const argumentsLike: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(smallJson, fc.array(smallJson, { maxLength: 3 }), fc.dictionary(fc.constantFrom(...KEYS), smallJson))) },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const condition: fc.Arbitrary<ArgumentCondition> = fc
  .tuple(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom('/a', '/b') },
      { weight: 2, arbitrary: fc.constantFrom('', '/a/0', '/a/b', '/a~1b', '/~0', '/0', '/a/01', '/a/1', '/__proto__', '/toString', '/a/length') },
    ),
    fc.oneof(
      fc.record({ regex: fc.constantFrom('a', '^a$', '(?i)^a$', '\\d', '"b"', '^\\[', '^\\{', '(?s)a.b', '(?im)^true$', '^null$', '^0$', '') }),
      fc.record({ equals: smallJson }),
      fc.record({ contains: fc.constantFrom('a', '1', '"', '{', '"a":', '') }),
    ),
  )
  .map(([pointer, test]) => ({ pointer, ...test }) as ArgumentCondition);

/** Each kind of condition is in one rule of four, so that rules often match on what they do say. */
const seldom = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const ruleInput = fc.record({
  match: fc.option(
    fc.record({
      server: seldom(oneOrMany(fc.constantFrom(...GLOBS))),
      tool: seldom(oneOrMany(fc.constantFrom(...GLOBS))),
      method: seldom(oneOrMany(fc.constantFrom(...METHODS, 'tools/*', '*/read', '*'))),
      client: seldom(oneOrMany(fc.constantFrom(...GLOBS))),
      group: seldom(oneOrMany(fc.constantFrom(...GROUPS))),
      arguments: fc.option(fc.array(condition, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    }),
    { nil: undefined, freq: 5 },
  ),
  action: fc.constantFrom('allow', 'deny', 'approve'),
});

const policyArb: fc.Arbitrary<Policy> = fc
  .record({ rules: fc.array(ruleInput, { maxLength: 8 }), defaultAction: fc.constantFrom('allow', 'deny') })
  .map(({ rules, defaultAction }) => PolicySchema.parse({ defaultAction, rules: rules.map((rule, i) => ({ id: `r${i}`, ...rule })) }));

const callArb: fc.Arbitrary<CallDescription> = fc.record({
  server: name,
  method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...METHODS) }, { weight: 1, arbitrary: anyString }),
  tool: fc.option(name, { nil: undefined }),
  arguments: argumentsLike,
  client: name,
  groups: fc.subarray(GROUPS),
});

/** The matching rules written out plainly, compiling nothing: what the compiled policy must agree with. */
const reference = {
  evaluate(policy: Policy, call: CallDescription): { action: string; ruleId?: string } {
    const rule = policy.rules.find((r) => reference.matches(r, call) && (r.match?.arguments ?? []).every((c) => reference.holds(c, call.arguments)));
    return rule ? { action: rule.action, ruleId: rule.id } : { action: policy.defaultAction };
  },

  /** The documented walk: unconditional rules decide, conditional allow or approve means maybe, conditional deny cannot decide. */
  mayCall(policy: Policy, call: Omit<CallDescription, 'method' | 'arguments'>): boolean {
    for (const rule of policy.rules) {
      if (!reference.matches(rule, { ...call, method: 'tools/call' })) continue;
      const conditional = (rule.match?.arguments ?? []).length > 0;
      if (!conditional) return rule.action !== 'deny';
      if (rule.action !== 'deny') return true;
    }
    return policy.defaultAction !== 'deny';
  },

  matches(rule: Rule, call: Omit<CallDescription, 'arguments'>): boolean {
    const match = rule.match ?? {};
    const method = match.method ?? (match.tool === undefined ? undefined : 'tools/call');
    const anyGlob = (globs: string | string[] | undefined, value: string | undefined) =>
      globs === undefined || (value !== undefined && [globs].flat().some((glob) => reference.glob([...glob], [...value])));
    return anyGlob(match.server, call.server) && anyGlob(method, call.method) && anyGlob(match.tool, call.tool) &&
      anyGlob(match.client, call.client) && (match.group === undefined || [match.group].flat().some((g) => call.groups.includes(g)));
  },

  glob(pattern: string[], value: string[]): boolean {
    if (pattern.length === 0) return value.length === 0;
    const [head, ...rest] = pattern;
    if (head === '*') return reference.glob(rest, value) || (value.length > 0 && reference.glob(pattern, value.slice(1)));
    return value.length > 0 && (head === '?' || head === value[0]) && reference.glob(rest, value.slice(1));
  },

  holds(condition: ArgumentCondition, args: unknown): boolean {
    let value = args;
    const tokens = condition.pointer === '' ? [] : condition.pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    for (const token of tokens) {
      if (Array.isArray(value) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < value.length) value = value[Number(token)];
      else if (!Array.isArray(value) && typeof value === 'object' && value !== null && Object.prototype.hasOwnProperty.call(value, token)) value = (value as Record<string, unknown>)[token];
      else return false;
    }
    if (value === undefined) return false;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (condition.contains !== undefined) return text.includes(condition.contains);
    if (condition.regex !== undefined) {
      const flags = /^\(\?([a-z]+)\)/.exec(condition.regex);
      return new RegExp(flags ? condition.regex.slice(flags[0].length) : condition.regex, flags ? flags[1] : '').test(text);
    }
    return reference.canonical(value) === reference.canonical(condition.equals);
  },

  /** JSON text with sorted keys, so equal values have equal texts. */
  canonical(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(reference.canonical).join(',')}]`;
    if (typeof value === 'object' && value !== null) {
      return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${reference.canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
    }
    return JSON.stringify(value);
  },
};

describe('policy evaluation, on generated calls and policies', () => {
  const defaultPolicy = compilePolicy(DEFAULT_POLICY);

  it('never throws on arbitrary strings and JSON arguments, and decides the same way twice', () => {
    const arbitraryCall = fc.record({
      server: anyString, method: anyString, tool: fc.option(anyString, { nil: undefined }),
      arguments: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('query', 'sql', 'command', 'cmd', 'path', 'paths'), fc.jsonValue())),
      client: anyString, groups: fc.array(anyString, { maxLength: 3 }),
    });
    fc.assert(fc.property(arbitraryCall, (call) => {
      const verdict = defaultPolicy.evaluate(call);
      expect(defaultPolicy.evaluate(call)).toBe(verdict);
      expect(compilePolicy(DEFAULT_POLICY).evaluate(call)).toEqual(verdict);
      expect(typeof defaultPolicy.mayCall(call)).toBe('boolean');
    }), { numRuns: 400 });
  });

  it('denies everything under a single deny rule for every server', () => {
    const denyAll = compilePolicy(PolicySchema.parse({ rules: [{ id: 'deny-all', match: { server: '*' }, action: 'deny' }] }));
    const denyAllTools = compilePolicy(PolicySchema.parse({ rules: [{ id: 'deny-tools', match: { tool: '*' }, action: 'deny' }] }));
    fc.assert(fc.property(callArb, (call) => {
      expect(denyAll.evaluate(call).rule?.id).toBe('deny-all');
      expect(denyAll.mayCall(call)).toBe(false);
      const toolCall = { ...call, method: 'tools/call', tool: call.tool ?? '' };
      expect(denyAllTools.evaluate(toolCall).action).toBe('deny');
    }), { numRuns: 300 });
  });

  it('agrees with a plain reference implementation', () => {
    fc.assert(fc.property(policyArb, fc.array(callArb, { minLength: 1, maxLength: 10 }), (policy, calls) => {
      const compiled = compilePolicy(policy);
      for (const call of calls) {
        const verdict = compiled.evaluate(call);
        expect({ action: verdict.action, ruleId: verdict.rule?.id }).toEqual(reference.evaluate(policy, call));
        expect(compiled.mayCall(call)).toBe(reference.mayCall(policy, call));
      }
    }), { numRuns: 500 });
  });

  it('agrees with the reference on each argument condition alone', () => {
    fc.assert(fc.property(condition, argumentsLike, (argumentCondition, args) => {
      const policy = compilePolicy(PolicySchema.parse({ rules: [{ id: 'c', match: { arguments: [argumentCondition] }, action: 'deny' }] }));
      const holds = policy.evaluate({ server: 's', method: 'tools/call', tool: 't', arguments: args, client: 'c', groups: [] }).action === 'deny';
      expect(holds).toBe(reference.holds(argumentCondition, args));
    }), { numRuns: 3000 });
  });

  it('hides a tool only when every tools/call of it would be denied', () => {
    fc.assert(fc.property(policyArb, callArb, fc.array(argumentsLike, { maxLength: 10 }), (policy, call, argumentSets) => {
      const compiled = compilePolicy(policy);
      if (compiled.mayCall(call)) return;
      for (const args of argumentSets) expect(compiled.evaluate({ ...call, method: 'tools/call', arguments: args }).action).toBe('deny');
    }), { numRuns: 500 });
  });
});
