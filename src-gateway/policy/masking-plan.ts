import { createMasker, DETECTOR_NAMES, type Masker } from '../masking/mask-engine.js';
import type { TokenVault } from '../masking/token-vault.js';
import type { MaskingPolicy, MaskingRule } from './masking-policy-schema.js';
import { compileGlobs, type StringTest } from './policy-patterns.js';

export interface MaskingTarget {
  server: string;
  tool?: string;
  client: string;
  groups: readonly string[];
}

/** Decides which masker applies to a call, per the policy's masking rules. */
export interface MaskingPlan {
  /** The masker for this call, or undefined when masking is off for it. */
  maskerFor(target: MaskingTarget, tokens: TokenVault): Masker | undefined;
  /** Whether the rule for this call asks to keep sealed originals of what it masks. */
  keepsOriginal(target: MaskingTarget): boolean;
}

interface CompiledRule {
  rule: MaskingRule | undefined;
  matches(target: MaskingTarget): boolean;
}

/**
 * Compiles the masking rules once. Maskers are built lazily and kept per session's token vault
 * (so `<email_1>` means the same person throughout a session) and per rule.
 */
export function compileMaskingPlan(masking: MaskingPolicy): MaskingPlan {
  if (!masking.enabled) return { maskerFor: () => undefined, keepsOriginal: () => false };
  const rules: CompiledRule[] = masking.rules.map((rule) => compileRule(rule));
  const fallback: CompiledRule = { rule: undefined, matches: () => true };
  const cache = new WeakMap<TokenVault, Map<CompiledRule, Masker | undefined>>();
  const choose = (target: MaskingTarget) => rules.find((rule) => rule.matches(target)) ?? fallback;
  return {
    keepsOriginal: (target) => choose(target).rule?.keepOriginal ?? false,
    maskerFor(target, tokens) {
      const chosen = choose(target);
      let perVault = cache.get(tokens);
      if (!perVault) cache.set(tokens, (perVault = new Map()));
      if (!perVault.has(chosen)) perVault.set(chosen, buildMasker(chosen.rule, masking, tokens));
      return perVault.get(chosen);
    },
  };
}

/** The masker for one rule: its detectors (all by default) less the disabled ones, with its styles. */
function buildMasker(rule: MaskingRule | undefined, masking: MaskingPolicy, tokens: TokenVault): Masker | undefined {
  const disabled = new Set(rule?.disable ?? []);
  const wanted = rule === undefined || rule.detectors === 'all' ? undefined : new Set(rule.detectors);
  const on = (name: string) => !disabled.has(name) && (wanted === undefined || wanted.has(name));
  const detectors = DETECTOR_NAMES.filter(on);
  const custom = masking.custom.filter((detector) => on(detector.name));
  if (detectors.length === 0 && custom.length === 0) return undefined;
  return createMasker({ detectors, styles: rule?.styles ?? {}, custom, tokens });
}

function compileRule(rule: MaskingRule): CompiledRule {
  const tests: Array<(target: MaskingTarget) => boolean> = [];
  const add = (globs: string | string[] | undefined, pick: (t: MaskingTarget) => string | undefined) => {
    if (globs === undefined) return;
    const test: StringTest = compileGlobs(globs);
    tests.push((target) => {
      const value = pick(target);
      return value !== undefined && test(value);
    });
  };
  add(rule.match?.server, (t) => t.server);
  add(rule.match?.tool, (t) => t.tool);
  add(rule.match?.client, (t) => t.client);
  if (rule.match?.group !== undefined) {
    const groups = new Set(Array.isArray(rule.match.group) ? rule.match.group : [rule.match.group]);
    tests.push((target) => target.groups.some((g) => groups.has(g)));
  }
  return { rule, matches: (target) => tests.every((test) => test(target)) };
}
