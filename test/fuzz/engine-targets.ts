import fc from 'fast-check';
import { createMasker, DETECTOR_NAMES, type Masker } from '../../src-gateway/masking/mask-engine.js';
import type { Finding } from '../../src-gateway/masking/mask-types.js';
import { compilePolicy } from '../../src-gateway/policy/compile-policy.js';
import { DEFAULT_POLICY } from '../../src-gateway/policy/default-policy.js';
import { PolicySchema } from '../../src-gateway/policy/policy-schema.js';
import { anyString, jsonish, nestedText } from './json-rpc-arbitraries.js';

const ACTIONS = new Set(['allow', 'deny', 'approve']);

/** A policy as a user or an org bundle might write it (valid or not) and calls an agent might make. */
export interface PolicyCase {
  policy: unknown;
  /** `nest`: arguments are `{command: [[[…]]]}` this deep, built at run time so a failing case stays printable. */
  calls: Array<{ server: string; method: string; tool?: string; arguments?: unknown; nest?: number; client: string; groups: string[] }>;
}

/** Text an agent controls inside arguments: shell and SQL fragments, glob and regex metacharacters. */
const argumentText = fc.oneof(
  anyString,
  fc.array(fc.constantFrom('rm', ' -rf', ' /', ';', '&&', '|', 'sh -c', '$IFS', "'", '"', '\\', 'DROP', ' table', 'delete from', ' where ', '1=1', '--', '/*', '*/', '.ssh/', '.env', '\n', 'ä', '😀',
    // Command names that are also keys of every object: lookup tables keyed by command name must not answer them.
    '__proto__ ', 'constructor ', 'toString ', 'hasOwnProperty ', 'env ', 'sudo ', 'python -c ', 'bash -c ', '$(', ')', '`', 'base64 -d'), { maxLength: 30 }).map((parts) => parts.join('')),
);
const argumentsValue = fc.oneof(
  jsonish,
  fc.dictionary(fc.constantFrom('command', 'cmd', 'sql', 'query', 'path', 'paths', '__proto__', 'constructor'), fc.oneof(argumentText, fc.array(argumentText, { maxLength: 3 }), jsonish)),
);
const glob = fc.oneof(fc.constantFrom('*', '?', '**', 'a*', '*/*', '[', '\\', '.*', '(', ''), anyString);
const regex = fc.oneof(fc.constantFrom('(?i)drop', '(?s).', '(?x)a', '(?', '[', '(a+)+$', '\\', '^$', '(?<n>a)\\k<n>', '\\p{L}', '(?=a)', ''), anyString);
const ruleish = fc.record({
  id: fc.oneof(fc.constantFrom('r1', 'r2', '__proto__'), anyString),
  action: fc.oneof(fc.constantFrom('allow', 'deny', 'approve'), anyString),
  reason: anyString,
  timeoutSeconds: fc.oneof(fc.constantFrom(1, 0, -1, 1e308), jsonish),
  onTimeout: fc.constantFrom('deny', 'allow', 'x'),
  match: fc.oneof(
    fc.record({
      server: fc.oneof(glob, fc.array(glob, { maxLength: 3 })),
      tool: fc.oneof(glob, fc.array(glob, { maxLength: 3 })),
      method: fc.oneof(glob, fc.array(glob, { maxLength: 3 })),
      client: glob,
      group: fc.oneof(anyString, fc.array(anyString, { maxLength: 3 })),
      arguments: fc.array(fc.record({ pointer: fc.oneof(fc.constantFrom('', '/command', '/a/0', '/~0', '/~1', '/~2', 'x'), anyString), regex, equals: jsonish, contains: anyString }, { requiredKeys: ['pointer'] }), { maxLength: 3 }),
    }, { requiredKeys: [] }),
    jsonish,
  ),
}, { requiredKeys: ['id', 'action'] });

export const policyCase: fc.Arbitrary<PolicyCase> = fc.record({
  policy: fc.oneof(
    { weight: 1, arbitrary: fc.constant(DEFAULT_POLICY as unknown) },
    { weight: 3, arbitrary: fc.record({ defaultAction: fc.constantFrom('allow', 'deny', 'approve'), rules: fc.array(ruleish, { maxLength: 5 }) }, { requiredKeys: ['rules'] }) },
    { weight: 1, arbitrary: jsonish },
  ),
  calls: fc.array(fc.record({
    server: fc.oneof(fc.constantFrom('fs', 'db', 'shell', 'a'), anyString),
    method: fc.oneof(fc.constantFrom('tools/call', 'resources/read', 'prompts/get', 'tools/list'), anyString),
    tool: fc.option(fc.oneof(fc.constantFrom('run_command', 'query', 'read_file', 'execute_sql'), anyString), { nil: undefined }),
    arguments: argumentsValue,
    nest: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }) }),
    client: anyString,
    groups: fc.array(anyString, { maxLength: 2 }),
  }, { requiredKeys: ['server', 'method', 'client', 'groups'] }), { minLength: 1, maxLength: 4 }),
});

/**
 * A policy either fails validation with issues, or compiles; a compiled policy decides every call
 * (never throws), with a known action, the same way twice.
 */
export function runPolicyCase({ policy, calls }: PolicyCase): { valid: boolean } {
  const parsed = PolicySchema.safeParse(policy);
  if (!parsed.success) {
    if (parsed.error.issues.length === 0) throw new Error('a policy was refused without saying why');
    return { valid: false };
  }
  const compiled = compilePolicy(parsed.data);
  for (const { nest, ...described } of calls) {
    const call = nest === undefined ? described : { ...described, arguments: { command: JSON.parse(nestedText(nest)) as unknown } };
    const verdict = compiled.evaluate(call);
    if (!ACTIONS.has(verdict.action) || typeof verdict.reason !== 'string') throw new Error(`odd verdict ${JSON.stringify(verdict)}`);
    if (compiled.evaluate(call) !== verdict) throw new Error('the same call was decided differently the second time');
    if (typeof compiled.mayCall(call) !== 'boolean') throw new Error('mayCall returned no boolean');
  }
  return { valid: true };
}

/** What a server might return, and text in it; deep and odd as well as realistic. */
export interface MaskingCase {
  method?: string;
  result: unknown;
  text: string;
  /** When set, the result is replaced by one nested this deep (in JSON text and in structured content), built at run time. */
  nest?: number;
}

const secretish = fc.constantFrom('ana@example.com', '4242 4242 4242 4242', 'GB82 WEST 1234 5698 7654 32', '123-45-6789', 'AKIAIOSFODNN7EXAMPLE',
  'password=hunter22', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----', 'postgres://u:p@h/d', '10.0.0.1');
const maskText = fc.oneof(anyString, fc.array(fc.oneof(secretish, anyString, fc.constantFrom('{', '}', '[', ']', '"', ':', ',', ' ')), { maxLength: 20 }).map((parts) => parts.join('')));
const maskJson = fc.oneof(
  jsonish,
  maskText.map((text) => ({ content: [{ type: 'text', text }], structuredContent: { text } })),
  fc.record({ contents: fc.array(fc.record({ uri: anyString, text: maskText, blob: anyString }, { requiredKeys: [] }), { maxLength: 3 }) }),
);

export const maskingCase: fc.Arbitrary<MaskingCase> = fc.record({
  method: fc.option(fc.oneof(fc.constantFrom('tools/call', 'resources/read', 'prompts/get', 'tools/list'), anyString), { nil: undefined }),
  result: maskJson,
  text: maskText,
  nest: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }) }),
}, { requiredKeys: ['result', 'text'] });

function nestedResult(depth: number): unknown {
  return { content: [{ type: 'text', text: nestedText(depth, '{"a":', '}', '"ana@example.com"') }], structuredContent: JSON.parse(nestedText(depth)) as unknown };
}

const MASKERS: Masker[] = [
  createMasker(),
  createMasker({ styles: Object.fromEntries(DETECTOR_NAMES.map((name) => [name, 'full' as const])) }),
  createMasker({ styles: Object.fromEntries(DETECTOR_NAMES.map((name) => [name, 'token' as const])) }),
];

/**
 * Masking never throws; findings rebuild the masked text; a masked value can always be encoded as
 * JSON (the runner records and sends exactly that), whatever nesting went in, and a masked result
 * whenever the result could be.
 */
export function runMaskingCase({ method, result: given, text, nest }: MaskingCase, masker = MASKERS[text.length % MASKERS.length]): { findings: number } {
  const findings: Finding[] = [];
  const masked = masker.maskString(text, '/text', findings);
  let rebuilt = '';
  let at = 0;
  for (const f of findings) {
    if (f.start < at || f.end < f.start || f.end > text.length) throw new Error(`findings overlap or leave the text: ${JSON.stringify(findings)}`);
    rebuilt += text.slice(at, f.start) + f.replacement;
    at = f.end;
  }
  if (rebuilt + text.slice(at) !== masked) throw new Error('findings do not rebuild the masked text');
  const result = nest === undefined ? given : nestedResult(nest);
  const fromResult = masker.maskResult(method, result);
  // Fields a method's result does not have masked pass as they came; the masked ones never get deeper.
  if (encodable(result)) JSON.stringify(fromResult.value);
  const fromValue = masker.maskValue(result);
  JSON.stringify(fromValue.value);
  return { findings: findings.length + fromResult.findings.length + fromValue.findings.length };
}

function encodable(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}
