import { describeDetector } from '../../masking/detector-descriptions.js';
import { DETECTOR_NAMES } from '../../masking/mask-engine.js';
import { TokenVault } from '../../masking/token-vault.js';
import type { MaskingTarget } from '../../policy/masking-plan.js';
import type { ControlDeps } from '../control-deps.js';
import type { ControlHandlers } from '../control-handler.js';
import { fail, ok } from '../control-handler.js';

/** The target a preview has when it names none: the defaults of the preview's own body. */
const DEFAULT_TARGET: MaskingTarget = { server: '', client: 'local', groups: [] };

/** The masking detectors, and a preview of what masking does to a text or JSON value. */
export function maskingHandlers({ policy }: ControlDeps) {
  return {
    listDetectors: () => {
      const plan = policy.masking();
      const on = new Set(plan.detectorsFor(DEFAULT_TARGET));
      const names = [...DETECTOR_NAMES, ...plan.custom.map((detector) => detector.name)];
      return ok(names.map((name) => ({ name, description: describeDetector(name, plan.custom) ?? '', enabled: on.has(name) })));
    },

    previewMasking: ({ body }) => {
      const { text, value, detectors, ...target } = body;
      const input = text ?? value;
      const plan = policy.masking();
      const maskingOff = plan.detectorsFor(target).length === 0;
      if (detectors === undefined) {
        const masker = plan.maskerFor(target, new TokenVault());
        if (!masker) return ok({ masked: input, findings: [], maskingOff: true });
        const result = masker.maskValue(input);
        return ok({ masked: result.value, findings: result.findings });
      }
      const known = new Set([...DETECTOR_NAMES, ...plan.custom.map((detector) => detector.name)]);
      const unknown = [...new Set(detectors.filter((name) => !known.has(name)))];
      if (unknown.length) {
        return fail('invalid', `body.detectors: unknown detector${unknown.length === 1 ? '' : 's'} ${nameSome(unknown)} (GET /control/mask/detectors lists them)`);
      }
      // Exactly the detectors asked for run, even where the policy leaves masking off: the preview shows what turning them on would do.
      const masker = plan.maskerWith(target, detectors, new TokenVault());
      const result = masker ? masker.maskValue(input) : { value: input, findings: [] };
      return ok({ masked: result.value, findings: result.findings, ...(maskingOff ? { maskingOff } : {}) });
    },
  } satisfies Partial<ControlHandlers>;
}

/** The first few names, each cut short: the message stays readable whatever the request held. */
function nameSome(names: readonly string[]): string {
  const shown = names.slice(0, 5).map((name) => JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name));
  return shown.join(', ') + (names.length > shown.length ? ` and ${names.length - shown.length} more` : '');
}
