import { createMasker, DETECTOR_NAMES, type Masker } from '../masking/mask-engine.js';
import type { CustomDetectorSpec } from '../masking/mask-types.js';
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
  /** The detectors (built-in and custom names) that mask this call, in precedence order; none when masking is off for it. */
  detectorsFor(target: MaskingTarget): string[];
  /** The policy's own detectors, which may be named alongside the built-in ones. */
  readonly custom: readonly CustomDetectorSpec[];
  /**
   * A masker running exactly these detectors (built-in or custom names), with the styles the rule
   * for this call gives them, whatever the rule enables: a preview of what toggling detectors does.
   * Undefined for an empty list.
   * @throws Error naming an unknown detector.
   */
  maskerWith(target: MaskingTarget, detectors: readonly string[], tokens: TokenVault): Masker | undefined;
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
  const rules: CompiledRule[] = masking.rules.map((rule) => compileRule(rule));
  const fallback: CompiledRule = { rule: undefined, matches: () => true };
  const cache = new WeakMap<TokenVault, Map<CompiledRule, Masker | undefined>>();
  const choose = (target: MaskingTarget) => rules.find((rule) => rule.matches(target)) ?? fallback;
  const shared = {
    custom: masking.custom,
    maskerWith(target: MaskingTarget, detectors: readonly string[], tokens: TokenVault) {
      const known = new Set([...DETECTOR_NAMES, ...masking.custom.map((detector) => detector.name)]);
      const unknown = detectors.filter((name) => !known.has(name));
      if (unknown.length) throw new Error(`unknown masking detector ${unknown.map((name) => `"${name}"`).join(', ')}`);
      const wanted = new Set(detectors);
      return buildMasker((name) => wanted.has(name), choose(target).rule, masking, tokens);
    },
  };
  if (!masking.enabled) return { ...shared, maskerFor: () => undefined, keepsOriginal: () => false, detectorsFor: () => [] };
  return {
    ...shared,
    keepsOriginal: (target) => choose(target).rule?.keepOriginal ?? false,
    detectorsFor: (target) => {
      const on = enabledBy(choose(target).rule);
      return [...masking.custom.map((detector) => detector.name), ...DETECTOR_NAMES].filter(on);
    },
    maskerFor(target, tokens) {
      const chosen = choose(target);
      let perVault = cache.get(tokens);
      if (!perVault) cache.set(tokens, (perVault = new Map()));
      if (!perVault.has(chosen)) perVault.set(chosen, buildMasker(enabledBy(chosen.rule), chosen.rule, masking, tokens));
      return perVault.get(chosen);
    },
  };
}

/** Whether a rule turns a detector on: its detectors (all by default) less the disabled ones. */
function enabledBy(rule: MaskingRule | undefined): (name: string) => boolean {
  const disabled = new Set(rule?.disable ?? []);
  const wanted = rule === undefined || rule.detectors === 'all' ? undefined : new Set(rule.detectors);
  return (name) => !disabled.has(name) && (wanted === undefined || wanted.has(name));
}

/** The masker for the detectors that are on, with the rule's styles for them; undefined when none is. */
function buildMasker(on: (name: string) => boolean, rule: MaskingRule | undefined, masking: MaskingPolicy, tokens: TokenVault): Masker | undefined {
  const detectors = DETECTOR_NAMES.filter(on);
  const custom = masking.custom.filter((detector) => on(detector.name));
  if (detectors.length === 0 && custom.length === 0) return undefined;
  // The engine refuses a style for a detector it does not run, and a rule may style one it leaves off.
  const styles = Object.fromEntries(Object.entries(rule?.styles ?? {}).filter(([name]) => on(name)));
  return createMasker({ detectors, styles, custom, tokens });
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
