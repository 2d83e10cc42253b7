import { createMasker } from '../../../src-gateway/masking/mask-engine.js';
import type { Finding } from '../../../src-gateway/masking/mask-types.js';

/** The values one built-in detector, alone, finds in `text`, in order. */
export function found(detector: string, text: string, pointer = ''): string[] {
  const findings: Finding[] = [];
  createMasker({ detectors: [detector] }).maskString(text, pointer, findings);
  return findings.map((f) => text.slice(f.start, f.end));
}
