import { createMasker, DETECTOR_NAMES, type Masker } from '../masking/mask-engine.js';
import type { CustomDetectorSpec, ReplacementStyle } from '../masking/mask-types.js';
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
 * Masking an org requires of every call: its own masking policy, which adds to the local one and
 * cannot turn it off, and detectors that always run.
 */
export interface EnforcedMasking {
  masking: MaskingPolicy;
  mandatory: readonly string[];
}

/** Masking that masks nothing: what an org enforces without a masking section of its own. */
export const NO_MASKING: MaskingPolicy = { enabled: false, rules: [], custom: [] };

const NOTHING_ENFORCED: EnforcedMasking = { masking: NO_MASKING, mandatory: [] };

/** The local and the enforced rule that apply to one call. */
interface Chosen {
  local: CompiledRule;
  enforced: CompiledRule;
  key: string;
}

/**
 * Compiles the masking rules once. Maskers are built lazily and kept per session's token vault
 * (so `<email_1>` means the same person throughout a session) and per rule. With `enforced` (org
 * mode), a detector runs when the local rule for the call or the org's turns it on, or the org
 * makes it mandatory; the org's styles win, and its custom detectors win a name clash.
 */
export function compileMaskingPlan(masking: MaskingPolicy, enforced: EnforcedMasking = NOTHING_ENFORCED): MaskingPlan {
  const fallback: CompiledRule = { rule: undefined, matches: () => true };
  const localRules = masking.rules.map((rule) => compileRule(rule));
  const orgRules = enforced.masking.rules.map((rule) => compileRule(rule));
  const orgCustom = new Set(enforced.masking.custom.map((detector) => detector.name));
  const custom = [...enforced.masking.custom, ...masking.custom.filter((detector) => !orgCustom.has(detector.name))];
  const mandatory = new Set(enforced.mandatory);
  const cache = new WeakMap<TokenVault, Map<string, Masker | undefined>>();
  const choose = (target: MaskingTarget): Chosen => {
    const local = localRules.findIndex((rule) => rule.matches(target));
    const org = orgRules.findIndex((rule) => rule.matches(target));
    return { local: localRules[local] ?? fallback, enforced: orgRules[org] ?? fallback, key: `${local}:${org}` };
  };
  const on = ({ local, enforced: org }: Chosen) => {
    const byLocal = masking.enabled ? enabledBy(local.rule) : () => false;
    const byOrg = enforced.masking.enabled ? enabledBy(org.rule) : () => false;
    return (name: string) => mandatory.has(name) || byLocal(name) || byOrg(name);
  };
  const styles = ({ local, enforced: org }: Chosen) => ({ ...local.rule?.styles, ...org.rule?.styles });
  return {
    custom,
    maskerWith(target, detectors, tokens) {
      const known = new Set([...DETECTOR_NAMES, ...custom.map((detector) => detector.name)]);
      const unknown = detectors.filter((name) => !known.has(name));
      if (unknown.length) throw new Error(`unknown masking detector ${unknown.map((name) => `"${name}"`).join(', ')}`);
      const wanted = new Set(detectors);
      return buildMasker((name) => wanted.has(name), styles(choose(target)), custom, tokens);
    },
    keepsOriginal(target) {
      const { local, enforced: org } = choose(target);
      return (masking.enabled && (local.rule?.keepOriginal ?? false)) || (enforced.masking.enabled && (org.rule?.keepOriginal ?? false));
    },
    detectorsFor: (target) => [...custom.map((detector) => detector.name), ...DETECTOR_NAMES].filter(on(choose(target))),
    maskerFor(target, tokens) {
      const chosen = choose(target);
      let perVault = cache.get(tokens);
      if (!perVault) cache.set(tokens, (perVault = new Map()));
      if (!perVault.has(chosen.key)) perVault.set(chosen.key, buildMasker(on(chosen), styles(chosen), custom, tokens));
      return perVault.get(chosen.key);
    },
  };
}

/** Whether a rule turns a detector on: its detectors (all by default) less the disabled ones. */
function enabledBy(rule: MaskingRule | undefined): (name: string) => boolean {
  const disabled = new Set(rule?.disable ?? []);
  const wanted = rule === undefined || rule.detectors === 'all' ? undefined : new Set(rule.detectors);
  return (name) => !disabled.has(name) && (wanted === undefined || wanted.has(name));
}

/** The masker for the detectors that are on, with the rules' styles for them; undefined when none is. */
function buildMasker(on: (name: string) => boolean, styles: Partial<Record<string, ReplacementStyle>>, custom: readonly CustomDetectorSpec[], tokens: TokenVault): Masker | undefined {
  const detectors = DETECTOR_NAMES.filter(on);
  const running = custom.filter((detector) => on(detector.name));
  if (detectors.length === 0 && running.length === 0) return undefined;
  // The engine refuses a style for a detector it does not run, and a rule may style one it leaves off.
  const used = Object.fromEntries(Object.entries(styles).filter(([name]) => on(name)));
  return createMasker({ detectors, styles: used, custom: running, tokens });
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
