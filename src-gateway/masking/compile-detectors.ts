import { customDetector } from './detectors/custom.js';
import { BUILT_IN_DETECTORS } from './detectors/index.js';
import type { MaskPlan } from './mask-leaves.js';
import type { MaskOptions } from './mask-types.js';
import { compileScan } from './scan.js';
import { TokenVault } from './token-vault.js';

/**
 * Resolves options into a plan: the enabled built-in detectors in their order of precedence, the
 * policy's custom detectors ahead of them (a policy author's intent wins a tie), and each one's style.
 * @throws Error naming an unknown detector, a custom name that takes a built-in one, or a custom
 * regex that does not compile or could backtrack without bound. Policies are checked when loaded,
 * so this only fires for a caller's mistake.
 */
export function compileMaskPlan(options: MaskOptions): MaskPlan {
  const builtInNames = new Set(BUILT_IN_DETECTORS.map((d) => d.name));
  const enabled = new Set(options.detectors ?? builtInNames);
  for (const name of enabled) {
    if (!builtInNames.has(name)) throw new Error(`unknown masking detector "${name}"`);
  }
  const custom = (options.custom ?? []).map((spec) => {
    if (builtInNames.has(spec.name)) throw new Error(`custom detector "${spec.name}" has the name of a built-in one`);
    try {
      return customDetector(spec);
    } catch (error) {
      throw new Error(`custom detector "${spec.name}": ${(error as Error).message}`);
    }
  });
  const detectors = [...custom, ...BUILT_IN_DETECTORS.filter((d) => enabled.has(d.name))];
  const styles = options.styles ?? {};
  const named = new Set([...builtInNames, ...custom.map((d) => d.name)]);
  for (const name of Object.keys(styles)) {
    if (!named.has(name)) throw new Error(`masking style for unknown detector "${name}"`);
  }
  return {
    scan: compileScan(detectors),
    styles: detectors.map((d) => styles[d.name] ?? d.style),
    tokens: options.tokens ?? new TokenVault(),
    keyedByKey: new Map(),
  };
}
