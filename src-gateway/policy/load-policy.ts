import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
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
 */
export function parsePolicyText(text: string, origin: string): Policy {
  const json = /\.json$/i.test(origin);
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new PolicyError(`${origin} is not valid ${json ? 'JSON' : 'YAML/JSON'}: ${(error as Error).message}`);
  }
  const result = PolicySchema.safeParse(raw ?? {});
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
    throw new PolicyError(`${origin} is invalid:\n${lines.join('\n')}`);
  }
  return result.data;
}
