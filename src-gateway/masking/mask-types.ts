import type { TokenVault } from './token-vault.js';

/** How a finding is replaced: `[EMAIL]`, `****-****-****-4242`, or a session-stable `<email_1>`. */
export type ReplacementStyle = 'full' | 'partial' | 'token';

/**
 * One masked value. `start`/`end` are UTF-16 offsets in the ORIGINAL string at `pointer` (a JSON
 * pointer); the value itself is never carried.
 */
export interface Finding {
  detector: string;
  pointer: string;
  start: number;
  end: number;
  replacement: string;
}

/** A detector declared in the policy: a regex, optionally with a validator that kills false positives. */
export interface CustomDetectorSpec {
  name: string;
  regex: string;
  validator?: 'luhn' | 'mod97' | 'entropy';
  style?: ReplacementStyle;
  label?: string;
}

export interface MaskOptions {
  /** Enabled built-in detectors by name; all of them by default. */
  detectors?: readonly string[];
  /** Replacement style per detector name (built-in or custom); each detector has its own default. */
  styles?: Partial<Record<string, ReplacementStyle>>;
  custom?: readonly CustomDetectorSpec[];
  /** Tokens for the `token` style, stable per session; a fresh vault when not given. */
  tokens?: TokenVault;
}

/** A half-open range `[start, end)` of UTF-16 offsets. */
export type Span = readonly [start: number, end: number];

/**
 * One kind of sensitive value. The scan runs `pattern` over the text; `span` and `validate` then turn
 * each match into a finding or drop it. Every quantifier in `pattern` is bounded and none is nested
 * (see pattern-safety.ts), so no input makes a pattern backtrack without bound.
 */
export interface Detector {
  readonly name: string;
  /** What the `full` style writes: `[LABEL]`. */
  readonly label: string;
  readonly style: ReplacementStyle;
  /** Regular expression source; the scan adds the `g` flag. */
  readonly pattern: string;
  /** Flags besides `g`, such as `i`. */
  readonly flags?: string;
  /** Substrings of which every match contains at least one; a text with none of them skips the detector. */
  readonly prefilter?: readonly string[];
  /**
   * The span to mask for a match, when it is not the whole match: a capture group (the value of
   * `password=value`), or a start found by looking back from an anchor (the local part before `@`).
   * `undefined` drops the match.
   */
  readonly span?: (match: RegExpExecArray, text: string) => Span | undefined;
  /**
   * Whether to search a refused match again from its second character, for patterns whose refused
   * match can hide a good one ("2000 4242 4242 4242 4242" fails Luhn; the card after "2000 " does
   * not). Others go on after a refused match, so bait repeating one every few characters costs
   * linear time, not matches × match length. Only short patterns may set it.
   */
  readonly rescanRefused?: boolean;
  /** Kills false positives: `value` is the text of the span starting at `start` in `text`. */
  readonly validate?: (value: string, text: string, start: number) => boolean;
  /**
   * For a string that sits under a JSON object key: when `key` matches, the string is the value of
   * that key (`{"password": "hunter22"}`), so `span` finds the value in it without a keyword in the text.
   */
  readonly keyed?: { readonly key: RegExp; readonly span: (value: string) => Span | undefined };
  /** Matches under a key like this are not findings (`{"version": "1.2.3.4"}` is no address). */
  readonly notUnderKey?: RegExp;
}
