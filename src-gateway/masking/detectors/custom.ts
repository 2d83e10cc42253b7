import type { CustomDetectorSpec, Detector } from '../mask-types.js';
import { assertBoundedBacktracking } from '../pattern-safety.js';
import { compileRegex } from '../../policy/policy-patterns.js';
import { shannonEntropy } from '../validators/entropy.js';
import { passesLuhn } from '../validators/luhn.js';
import { passesMod97 } from '../validators/mod97.js';

/** Bits per character a value needs for the `entropy` validator: random keys have 4 or more, words under 3. */
const CUSTOM_MIN_ENTROPY = 3;

const VALIDATORS: Record<NonNullable<CustomDetectorSpec['validator']>, (value: string) => boolean> = {
  luhn: (value) => passesLuhn(value.replace(/\D/g, '')),
  mod97: (value) => passesMod97(value.replace(/[^A-Za-z0-9]/g, '').toUpperCase()),
  entropy: (value) => shannonEntropy(value) >= CUSTOM_MIN_ENTROPY,
};

/**
 * A detector from the policy. The regex is written as elsewhere in the policy (a leading `(?i)` sets
 * flags) and must pass the same backtracking check as the built-in patterns.
 * @throws SyntaxError when the regex does not compile or could backtrack without bound.
 */
export function customDetector(spec: CustomDetectorSpec): Detector {
  const regex = compileRegex(spec.regex);
  assertBoundedBacktracking(regex.source);
  return {
    name: spec.name,
    label: spec.label ?? spec.name.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
    style: spec.style ?? 'full',
    pattern: regex.source,
    flags: regex.flags,
    validate: spec.validator === undefined ? undefined : VALIDATORS[spec.validator],
  };
}
