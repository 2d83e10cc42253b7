import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../atomic-file.js';
import type { Rule } from './policy-schema.js';
import { parsePolicyText } from './load-policy.js';

/**
 * Rules a person added here — by answering "always allow", or through the tray window's "block
 * calls like this" — rather than in a policy file; they are checked before every other rule.
 */
export const LOCAL_RULES_FILE = 'local-policy.json';

/** @throws PolicyError when the file is there but not a valid policy. */
export function readLocalRules(dataDir: string): Rule[] {
  const path = join(dataDir, LOCAL_RULES_FILE);
  if (!existsSync(path)) return [];
  return parsePolicyText(readFileSync(path, 'utf8'), path).rules;
}

/**
 * Adds an allow rule for exactly this call (same server, tool and arguments): "always" trusts what
 * the person saw, not every call of the tool. It goes last among the local rules.
 */
export function addAlwaysAllowRule(dataDir: string, call: { server: string; method: string; tool?: string; arguments?: unknown }, now = Date.now()): Rule {
  const rules = readLocalRules(dataDir);
  const rule: Rule = {
    id: `local-${now.toString(36)}-${rules.length + 1}`,
    description: `Always allowed by a person on ${new Date(now).toISOString()}`,
    match: {
      server: call.server,
      method: call.method,
      ...(call.tool === undefined ? {} : { tool: call.tool }),
      arguments: [{ pointer: '', equals: call.arguments ?? {} }],
    },
    action: 'allow',
  } as Rule;
  writeLocalRules(dataDir, [...rules, rule]);
  return rule;
}

/**
 * Puts a validated rule first among the local rules, so it decides before the ones added earlier.
 * Returns false, writing nothing, when a local rule already has its id.
 * @throws PolicyError when the local rules file is not valid (it is left for the person to fix).
 */
export function insertLocalRule(dataDir: string, rule: Rule): boolean {
  const rules = readLocalRules(dataDir);
  if (rules.some((existing) => existing.id === rule.id)) return false;
  writeLocalRules(dataDir, [rule, ...rules]);
  return true;
}

/**
 * Removes the local rule with this id; returns false, writing nothing, when there is none.
 * @throws PolicyError when the local rules file is not valid.
 */
export function removeLocalRule(dataDir: string, id: string): boolean {
  const rules = readLocalRules(dataDir);
  const kept = rules.filter((rule) => rule.id !== id);
  if (kept.length === rules.length) return false;
  writeLocalRules(dataDir, kept);
  return true;
}

function writeLocalRules(dataDir: string, rules: Rule[]): void {
  writeFileAtomically(join(dataDir, LOCAL_RULES_FILE), JSON.stringify({ rules }, null, 2) + '\n', 0o600);
}
