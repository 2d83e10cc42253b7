import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../config/load-config.js';
import { PolicySchema, type Policy } from './policy-schema.js';

/**
 * A policy that could not be read or does not validate; the message names the file and the rule
 * and field (`rules.3.match.tool`). A policy is configuration, so whatever reports a broken config
 * reports this too.
 */
export class PolicyError extends ConfigError {
  override name = 'PolicyError';
}

/** One problem of a policy text: the field it is at (`rules.2.match.tool`; empty for the whole text) and what is wrong. */
export interface PolicyProblem {
  path: string;
  message: string;
}

/**
 * What validating a policy text found: the policy, or every problem. `syntax` problems mean the
 * text is not JSON or YAML at all (each message gives the line and column); `schema` problems are
 * fields that do not fit the policy.
 */
export type PolicyValidation =
  | { ok: true; policy: Policy }
  | { ok: false; kind: 'syntax' | 'schema'; problems: PolicyProblem[] };

/** Reads and validates a policy file, JSON (by its `.json` name) or YAML. */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(`cannot read policy ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  return parsePolicyText(text, path);
}

/**
 * Parses and validates policy text: JSON when `origin` ends in `.json`, else YAML (which also reads
 * JSON). Every problem is listed, each at its field, e.g. `rules.3.match.arguments.0.regex`.
 * @throws PolicyError naming `origin` and listing the problems.
 */
export function parsePolicyText(text: string, origin: string): Policy {
  const json = /\.json$/i.test(origin);
  const result = validatePolicyText(text, json ? 'json' : 'yaml');
  if (result.ok) return result.policy;
  if (result.kind === 'syntax') {
    throw new PolicyError(`${origin} is not valid ${json ? 'JSON' : 'YAML/JSON'}: ${result.problems.map((p) => p.message).join('; ')}`);
  }
  const lines = result.problems.map((problem) => `  - ${problem.path || '(top level)'}: ${problem.message}`);
  throw new PolicyError(`${origin} is invalid:\n${lines.join('\n')}`);
}

/**
 * Validates policy text with the same parser and schema as a policy file, without a file: for a
 * draft typed into the tray window as much as for a file on disk. Never throws, whatever the text.
 */
export function validatePolicyText(text: string, format: 'json' | 'yaml'): PolicyValidation {
  const result = validateTextWith(PolicySchema, text, format);
  return result.ok ? { ok: true, policy: result.value } : result;
}

/**
 * Parses JSON or YAML text and validates it with `schema`, reporting problems as a policy's are
 * reported: for what embeds a policy (the org's policy bundle). Never throws, whatever the text.
 */
export function validateTextWith<S extends z.ZodType>(
  schema: S,
  text: string,
  format: 'json' | 'yaml',
): { ok: true; value: z.output<S> } | { ok: false; kind: 'syntax' | 'schema'; problems: PolicyProblem[] } {
  let raw: unknown;
  try {
    const parsed = format === 'json' ? parseJson(text) : parseYaml(text);
    if (!parsed.ok) return { ok: false, kind: 'syntax', problems: parsed.problems };
    raw = parsed.value;
  } catch (error) {
    // A parser that gives up (nesting deeper than the stack, an alias bomb) is a syntax problem too.
    return { ok: false, kind: 'syntax', problems: [{ path: '', message: (error as Error).message }] };
  }
  const result = schema.safeParse(raw ?? {});
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, kind: 'schema', problems: schemaProblems(result.error.issues) };
}

/** Zod's issues as problems, each at its dotted path. */
export function schemaProblems(issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>): PolicyProblem[] {
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

type Parsed = { ok: true; value: unknown } | { ok: false; problems: PolicyProblem[] };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const { line, col } = lineAndColumn(text, jsonErrorOffset(text, message));
    return { ok: false, problems: [{ path: '', message: `line ${line}, column ${col}: ${message.replace(/ in JSON at position \d+.*$/s, '')}` }] };
  }
}

/**
 * Where JSON.parse stopped, for a line and column people can find. V8 gives the offset in most
 * messages but not for "Unexpected token"; then it is the end of the shortest prefix that fails
 * on something inside it rather than at its end, found by bisection (about 20 parses for 1 MiB).
 */
function jsonErrorOffset(text: string, message: string): number {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  if (message.includes('Unexpected end of JSON input')) return text.length;
  let fine = 0;
  let failing = text.length;
  while (failing - fine > 1) {
    const middle = (fine + failing) >> 1;
    if (failsInside(text.slice(0, middle))) failing = middle;
    else fine = middle;
  }
  return failing - 1;
}

function failsInside(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes('Unexpected end of JSON input')) return false;
    const at = /at position (\d+)/.exec(message);
    return at === null || Number(at[1]) < prefix.length;
  }
}

function parseYaml(text: string): Parsed {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { path: '', message: `line ${line}, column ${col}: ${error.message}` };
      }),
    };
  }
  return { ok: true, value: doc.toJS() };
}

/** 1-based line and column of a UTF-16 offset. */
function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}
