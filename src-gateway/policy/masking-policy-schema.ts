import { z } from 'zod';
import { DETECTOR_NAMES } from '../masking/mask-engine.js';
import { assertBoundedBacktracking } from '../masking/pattern-safety.js';
import { compileRegex } from './policy-patterns.js';

const StyleSchema = z.enum(['full', 'partial', 'token']);
const GlobsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** A detector from the policy: a regex, and optionally a validator that kills false positives. */
export const CustomDetectorSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/, 'custom detector names use lower-case letters, digits and "-"')
    .refine((name) => !DETECTOR_NAMES.includes(name), { error: (issue) => `"${issue.input}" is the name of a built-in detector; choose another` }),
  regex: z.string().superRefine((pattern, ctx) => {
    try {
      // Checked here as the masking engine will check it, so a bad pattern fails the policy load, not a call.
      assertBoundedBacktracking(compileRegex(pattern).source);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  validator: z.enum(['luhn', 'mod97', 'entropy']).optional(),
  style: StyleSchema.optional(),
  label: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'labels are upper-case, like EMPLOYEE_ID').optional(),
});

/**
 * Which detectors apply to a server, tool, client or group. The first matching rule decides; with
 * no rule matching, every detector applies with its default style.
 */
export const MaskingRuleSchema = z.strictObject({
  match: z
    .strictObject({ server: GlobsSchema.optional(), tool: GlobsSchema.optional(), client: GlobsSchema.optional(), group: GlobsSchema.optional() })
    .optional(),
  /** `all`, or the detectors to run (built-in or custom names). */
  detectors: z.union([z.literal('all'), z.array(z.string().min(1))]).default('all'),
  /** Detectors to leave out of `detectors`. */
  disable: z.array(z.string().min(1)).default([]),
  /** Replacement style per detector: `full` ([EMAIL]), `partial` (keeps the last 4), `token` (<email_1>). */
  styles: z.record(z.string(), StyleSchema).default({}),
  /**
   * Also record the original of a masked message, sealed with the key in `keychain:originals-key`,
   * for an auditor who holds that key. Off by default: what is masked is normally gone for good.
   */
  keepOriginal: z.boolean().default(false),
});
export type MaskingRule = z.infer<typeof MaskingRuleSchema>;

export const MaskingPolicySchema = z
  .strictObject({
    /** `false` turns masking off everywhere. */
    enabled: z.boolean().default(true),
    rules: z.array(MaskingRuleSchema).default([]),
    custom: z.array(CustomDetectorSchema).default([]),
  })
  .superRefine((masking, ctx) => {
    const known = new Set([...DETECTOR_NAMES, ...masking.custom.map((c) => c.name)]);
    masking.rules.forEach((rule, index) => {
      const named = [
        ...(rule.detectors === 'all' ? [] : rule.detectors.map((name, i) => [name, ['detectors', i]] as const)),
        ...rule.disable.map((name, i) => [name, ['disable', i]] as const),
        ...Object.keys(rule.styles).map((name) => [name, ['styles', name]] as const),
      ];
      for (const [name, path] of named) {
        if (!known.has(name)) ctx.addIssue({ code: 'custom', path: ['rules', index, ...path], message: `unknown detector "${name}" (known: ${[...known].join(', ')})` });
      }
    });
  });
export type MaskingPolicy = z.infer<typeof MaskingPolicySchema>;
