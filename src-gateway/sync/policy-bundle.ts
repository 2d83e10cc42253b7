import { z } from 'zod';
import { DETECTOR_NAMES } from '../masking/mask-engine.js';
import { PolicyError, validateTextWith } from '../policy/load-policy.js';
import { PolicySchema } from '../policy/policy-schema.js';

const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

/**
 * The org's policy bundle as the hub serves it (`GET <hub>/policy/bundle`): the org's `policy`,
 * validated with exactly the schema of a local policy file, and what the org requires of every
 * Airlock: a minimum version and detectors that always mask.
 */
export const PolicyBundleSchema = z
  .strictObject({
    /** The bundle's own version, shown to people (not compared). */
    version: z.string().min(1).max(200),
    /** Older Airlocks refuse every call until updated. */
    minAirlockVersion: z.string().regex(VERSION, 'minAirlockVersion is a version like "1.4.0"').optional(),
    /** Built-in or the bundle's custom detectors that mask every call, whatever local masking says. */
    mandatoryDetectors: z.array(z.string().min(1)).default([]),
    policy: PolicySchema,
  })
  .superRefine((bundle, ctx) => {
    const known = new Set([...DETECTOR_NAMES, ...bundle.policy.masking.custom.map((detector) => detector.name)]);
    bundle.mandatoryDetectors.forEach((name, index) => {
      if (!known.has(name)) ctx.addIssue({ code: 'custom', path: ['mandatoryDetectors', index], message: `unknown detector "${name}" (known: ${[...known].join(', ')})` });
    });
  });
export type PolicyBundle = z.infer<typeof PolicyBundleSchema>;

/**
 * Parses and validates a bundle's text (JSON, or YAML when `format` says so, as a hub's bundle file
 * may be), listing every problem at its field, e.g. `policy.rules.2.match.tool`.
 * @throws PolicyError naming `origin` and the problems.
 */
export function parsePolicyBundle(text: string, origin: string, format: 'json' | 'yaml' = 'json'): PolicyBundle {
  const result = validateTextWith(PolicyBundleSchema, text, format);
  if (result.ok) return result.value;
  if (result.kind === 'syntax') throw new PolicyError(`${origin} is not valid ${format === 'json' ? 'JSON' : 'YAML/JSON'}: ${result.problems.map((p) => p.message).join('; ')}`);
  const lines = result.problems.map((problem) => `  - ${problem.path || '(top level)'}: ${problem.message}`);
  throw new PolicyError(`${origin} is invalid:\n${lines.join('\n')}`);
}

/**
 * Whether the bundle's policy has a masking section of its own. Parsing fills in masking that
 * runs every detector, but an org that says nothing about masking enforces none beyond its
 * mandatory detectors.
 */
export function bundleSetsMasking(raw: unknown): boolean {
  const policy = (raw as { policy?: unknown } | null)?.policy;
  return typeof policy === 'object' && policy !== null && 'masking' in policy;
}

/** Whether `version` (x.y.z, maybe with a pre-release or build suffix) is older than `required` (x.y.z). */
export function isOlderVersion(version: string, required: string): boolean {
  const have = VERSION.exec(version.split(/[-+]/)[0]);
  const want = VERSION.exec(required);
  // A version that cannot be read cannot be shown to satisfy the requirement.
  if (!have || !want) return true;
  for (let i = 1; i <= 3; i++) {
    const diff = Number(have[i]) - Number(want[i]);
    if (diff !== 0) return diff < 0;
  }
  // A pre-release of the required version comes before it.
  return version.split('+')[0].includes('-');
}
