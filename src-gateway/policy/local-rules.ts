import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rule } from './policy-schema.js';
import { parsePolicyText } from './load-policy.js';

/** Rules a person added by answering "always allow"; they are checked before every other rule. */
export const LOCAL_RULES_FILE = 'local-policy.json';

export function readLocalRules(dataDir: string): Rule[] {
  const path = join(dataDir, LOCAL_RULES_FILE);
  if (!existsSync(path)) return [];
  return parsePolicyText(readFileSync(path, 'utf8'), path).rules;
}

/**
 * Adds an allow rule for exactly this call (same server, tool and arguments): "always" trusts what
 * the person saw, not every call of the tool. Written atomically so a crash leaves the old file.
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
  const path = join(dataDir, LOCAL_RULES_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify({ rules: [...rules, rule] }, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return rule;
}
