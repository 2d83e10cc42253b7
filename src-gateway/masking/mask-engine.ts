import { compileMaskPlan } from './compile-detectors.js';
import { BUILT_IN_DETECTORS } from './detectors/index.js';
import { LeafCollector, lastPointerKey } from './json-walk.js';
import { maskLeaves, type MaskPlan } from './mask-leaves.js';
import type { Finding, MaskOptions } from './mask-types.js';
import { collectResult } from './result-fields.js';

/** A compiled set of detectors with their styles and the session's tokens; reuse it for every call. */
export interface Masker {
  /** Finds and replaces in one string; appends findings (pointer given by caller). */
  maskString(text: string, pointer?: string, findings?: Finding[]): string;
  /** Walks any JSON value; masks every string leaf; JSON inside a string is walked as JSON. Returns a new value. */
  maskValue(value: unknown, pointer?: string): { value: unknown; findings: Finding[] };
  /**
   * Masks what a server returns for a method: tools/call result (content[].text, structuredContent,
   * embedded resource text), resources/read (contents[].text), prompts/get (messages[].content text),
   * and a JSON-RPC error's message/data. Binary (image/audio data, blob) and other fields left alone.
   */
  maskResult(method: string | undefined, result: unknown): { value: unknown; findings: Finding[] };
}

/** The names of the built-in detectors, in their order of precedence. */
export const DETECTOR_NAMES: readonly string[] = BUILT_IN_DETECTORS.map((d) => d.name);

/**
 * Compiles a masker once, to be reused per call. Strings are matched against the text alone, except
 * that a string under an object key is also read as that key's value (`{"password": "…"}` is a
 * secret; `{"version": "1.2.3.4"}` is no address); `maskString` takes the key from its pointer.
 * @throws Error for an unknown detector name or an unusable custom detector.
 */
export function createMasker(options: MaskOptions = {}): Masker {
  const plan = compileMaskPlan(options);
  return {
    maskString(text, pointer = '', findings = []) {
      return maskLeaves([{ text, pointer, key: lastPointerKey(pointer) }], plan, findings)[0];
    },
    maskValue(value, pointer = '') {
      const collector = new LeafCollector();
      const holder = { value: undefined as unknown };
      collector.add(value, pointer, holder, 'value', lastPointerKey(pointer));
      const findings = run(collector, plan);
      return { value: holder.value, findings };
    },
    maskResult(method, result) {
      const collector = new LeafCollector();
      const holder = collectResult(method, result, collector);
      const findings = run(collector, plan);
      return { value: holder.value, findings };
    },
  };
}

function run(collector: LeafCollector, plan: MaskPlan): Finding[] {
  const findings: Finding[] = [...collector.unscanned];
  // Applied even with no leaves: a JSON text whose too-deep part became a marker must be rewritten.
  collector.apply(collector.leaves.length > 0 ? maskLeaves(collector.leaves, plan, findings) : []);
  return findings;
}
