import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyValidationView } from '../../../../src-gateway/control/contract.js';
import { openPolicyControl, type PolicyControlHarness } from './policy-control-harness.js';

let harness: PolicyControlHarness;
afterEach(() => harness?.close());

async function validate(text: string, format?: 'yaml' | 'json'): Promise<PolicyValidationView> {
  harness ??= openPolicyControl();
  const result = await harness.call('validatePolicy', { body: { text, ...(format ? { format } : {}) } });
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

describe('validating a draft policy', () => {
  it('accepts a valid YAML draft and counts its rules, without applying it', async () => {
    harness = openPolicyControl();
    const before = harness.policy.describe().loadedAt;
    const result = await validate('rules:\n  - id: a\n    action: deny\n  - id: b\n    match: { tool: "delete_*" }\n    action: approve\n');
    expect(result).toEqual({ valid: true, ruleCount: 2, errors: [] });
    expect(harness.policy.describe().loadedAt).toBe(before);
    expect(harness.policy.rules().some((r) => r.rule.id === 'a')).toBe(false);
  });

  it('accepts a valid JSON draft', async () => {
    expect(await validate('{"rules": [{"id": "a", "action": "allow"}], "defaultAction": "deny"}', 'json')).toEqual({ valid: true, ruleCount: 1, errors: [] });
  });

  it('lists every problem with the path it is at', async () => {
    const draft = [
      'rules:',
      '  - id: ok',
      '    action: allow',
      '  - id: bad tool',
      '    match: { tool: 5 }',
      '    action: deny',
      '  - id: ok',
      '    action: block',
      '    match:',
      '      arguments: [{ pointer: query, regex: "(" }]',
      'defaultAction: approve',
      'extra: 1',
    ].join('\n');
    const result = await validate(draft);
    expect(result.valid).toBe(false);
    expect(result.ruleCount).toBe(0);
    const paths = result.errors.map((error) => error.path);
    expect(paths).toEqual(expect.arrayContaining([
      '', 'rules.1.id', 'rules.1.match.tool', 'rules.2.action', 'rules.2.match.arguments.0.pointer', 'rules.2.match.arguments.0.regex', 'defaultAction',
    ]));
    expect(result.errors.find((error) => error.path === '')?.message).toMatch(/extra/);
    expect(result.errors.find((error) => error.path === 'rules.1.match.tool')?.message).toBe('expected a string or a list of strings');
  });

  it('names both rules that share an id', async () => {
    const result = await validate('rules:\n  - { id: a, action: allow }\n  - { id: a, action: deny }\n');
    expect(result.errors).toEqual([{ path: 'rules.1.id', message: 'duplicate rule id "a": rules.0.id has it too' }]);
  });

  it.each([
    ['an unclosed flow sequence', 'rules: [unclosed', 1, 17],
    ['a tab used as indentation', 'rules:\n\t- id: x\n', 2, 1],
    ['a duplicate key', 'rules:\n  - id: a\n    id: b\n    action: deny\n', 3, 5],
    ['a key indented too far', 'rules:\n  - id: a\n     action: deny\n', 2, 9],
  ])('reports a YAML syntax error (%s) with its line, instead of throwing', async (_what, text, line, column) => {
    const result = await validate(text);
    expect(result.valid).toBe(false);
    expect(result.errors[0].path).toBe('');
    expect(result.errors[0].message).toMatch(new RegExp(`^line ${line}, column ${column}: `));
  });

  it.each([
    ['a trailing comma', '{"rules": [\n  {"id": "a", "action": "deny",}\n]}', /^line 2, column 32: /],
    ['a text cut short', '{"rules": ', /^line 1, column 11: Unexpected end of JSON input/],
    ['an empty text', '', /^line 1, column 1: Unexpected end of JSON input/],
    ['YAML given as JSON', 'rules: []', /^line 1, column 1: Unexpected token 'r'/],
    ['a bad literal on a later line', '{"rules": [],\n  "defaultAction": tru}', /^line 2, column 23: Unexpected token '}'/],
  ])('reports a JSON syntax error (%s) with its line and column', async (_what, text, message) => {
    const result = await validate(text, 'json');
    expect(result).toMatchObject({ valid: false, ruleCount: 0 });
    expect(result.errors).toEqual([{ path: '', message: expect.stringMatching(message) }]);
  });

  it.each([
    ['an empty YAML text', '', 'yaml', 'rules'],
    ['null', 'null', 'json', 'rules'],
    ['a list instead of a policy', '[1, 2]', 'json', ''],
    ['a string', '"rules"', 'json', ''],
    ['rules that are not a list', '{"rules": {"id": "a"}}', 'json', 'rules'],
    ['a rule that is a string', '{"rules": ["deny all"]}', 'json', 'rules.0'],
    ['a top-level "__proto__" key in JSON', '{"rules": [], "__proto__": {"defaultAction": "deny"}}', 'json', ''],
    ['a top-level "__proto__" key in YAML', 'rules: []\n__proto__: { defaultAction: deny }\n', 'yaml', ''],
    ['a "__proto__" key in a rule', '{"rules": [{"id": "a", "action": "allow", "__proto__": {"match": {"tool": "x"}}}]}', 'json', 'rules.0'],
  ] as const)('refuses %s with a path', async (_what, text, format, path) => {
    const result = await validate(text, format);
    expect(result.valid).toBe(false);
    expect(result.errors.map((error) => error.path)).toContain(path);
    expect(Object.prototype).not.toHaveProperty('defaultAction');
  });

  it('survives hostile texts: deep nesting, an alias bomb, a megabyte of one line', async () => {
    const deepJson = '['.repeat(200_000) + ']'.repeat(200_000);
    expect((await validate(deepJson, 'json')).valid).toBe(false);
    const deepYaml = '['.repeat(100_000) + ']'.repeat(100_000);
    expect((await validate(deepYaml)).valid).toBe(false);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`), 'rules: []'].join('\n');
    const bombResult = await validate(bomb);
    expect(bombResult.valid).toBe(false);
    expect(bombResult.errors[0].message).toMatch(/alias/i);
    const wide = await validate(`rules: []\n# ${'x'.repeat(1024 * 1024 - 20)}`);
    expect(wide).toEqual({ valid: true, ruleCount: 0, errors: [] });
  });

  it.each([
    ['a text over 1 MiB', { text: 'x'.repeat(1024 * 1024 + 1) }, 'body.text'],
    ['a text that is not a string', { text: { rules: [] } }, 'body.text'],
    ['an unknown format', { text: 'rules: []', format: 'toml' }, 'body.format'],
    ['an extra field', { text: 'rules: []', apply: true }, 'Unrecognized key: "apply"'],
    ['no text', {}, 'body.text'],
  ])('refuses a body with %s', async (_what, body, message) => {
    harness = openPolicyControl();
    const result = await harness.call('validatePolicy', { body });
    expect(result).toMatchObject({ ok: false, code: 'invalid', message: expect.stringContaining(message) });
  });

  it('reports a custom masking detector that could backtrack without bound, and one that takes a built-in name', async () => {
    const result = await validate('rules: []\nmasking:\n  custom:\n    - { name: slow, regex: "(a+)+b" }\n    - { name: email, regex: "x" }\n');
    expect(result.errors.map((error) => error.path)).toEqual(['masking.custom.0.regex', 'masking.custom.1.name']);
    expect(result.errors[1].message).toMatch(/built-in detector/);
  });
});
