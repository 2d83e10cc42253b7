import type { Detector, Finding, ReplacementStyle } from './mask-types.js';
import { replacementFor } from './replacement.js';
import { findCandidates, resolveOverlaps, type Candidate, type ScanPlan } from './scan.js';
import type { TokenVault } from './token-vault.js';

/** One string to mask: where it is, and the object key it sits under (which can say what it holds). */
export interface Leaf {
  readonly text: string;
  readonly pointer: string;
  readonly key: string | undefined;
}

/** A compiled masker: what to look for, how to replace each kind, and the session's tokens. */
export interface MaskPlan {
  readonly scan: ScanPlan;
  readonly styles: readonly ReplacementStyle[];
  readonly tokens: TokenVault;
  /** Per object key, the detectors that read a value under it (see `Detector.keyed`); filled lazily. */
  readonly keyedByKey: Map<string, readonly number[]>;
}

/**
 * Joins the leaves for a single scan. No built-in pattern crosses it (all stop at a line break),
 * and the NUL keeps the look-behind of one leaf from reading the end of the one before.
 */
const SEPARATOR = '\n\u0000\n';
/** Longer keys are not names a detector knows, and would only cost a regex run each. */
const MAX_KEY_LENGTH = 64;
const MAX_CACHED_KEYS = 4096;

/**
 * Masks many strings with one scan over all of them joined, which costs far less than a scan per
 * string when a result has thousands of short ones. Returns the masked strings (the same string when
 * nothing was found) and appends a finding for every replacement.
 */
export function maskLeaves(leaves: readonly Leaf[], plan: MaskPlan, findings: Finding[]): string[] {
  const starts: number[] = new Array(leaves.length);
  let at = 0;
  for (let i = 0; i < leaves.length; i++) {
    starts[i] = at;
    at += leaves[i].text.length + SEPARATOR.length;
  }
  const joined = leaves.length === 1 ? leaves[0].text : leaves.map((leaf) => leaf.text).join(SEPARATOR);
  const perLeaf = distribute(findCandidates(joined, plan.scan), leaves, starts, plan);

  for (let i = 0; i < leaves.length; i++) {
    const key = leaves[i].key;
    if (key === undefined) continue;
    for (const index of keyedDetectors(key, plan)) {
      const span = plan.scan.detectors[index].keyed?.span(leaves[i].text);
      if (span !== undefined && span[1] > span[0]) add(perLeaf, i, { start: span[0], end: span[1], detector: index });
    }
  }

  const masked = leaves.map((leaf) => leaf.text);
  for (const [i, candidates] of perLeaf) {
    const leaf = leaves[i];
    const kept = resolveOverlaps(candidates.filter((c) => !underExcludedKey(plan.scan.detectors[c.detector], leaf.key)));
    if (kept.length > 0) masked[i] = replaceSpans(leaf, kept, plan, findings);
  }
  return masked;
}

/**
 * Hands each finding to its leaf, in leaf offsets. A finding that runs from one leaf into the next
 * (only a custom pattern can) says nothing about either, so those leaves are scanned again, alone,
 * by that detector.
 */
function distribute(candidates: Candidate[], leaves: readonly Leaf[], starts: readonly number[], plan: MaskPlan): Map<number, Candidate[]> {
  const perLeaf = new Map<number, Candidate[]>();
  const rescans = new Map<number, Set<number>>();
  candidates.sort((a, b) => a.start - b.start);
  let leaf = 0;
  for (const c of candidates) {
    while (leaf + 1 < leaves.length && starts[leaf + 1] <= c.start) leaf++;
    const leafEnd = starts[leaf] + leaves[leaf].text.length;
    if (c.end <= leafEnd) {
      add(perLeaf, leaf, { start: c.start - starts[leaf], end: c.end - starts[leaf], detector: c.detector });
      continue;
    }
    for (let i = leaf; i < leaves.length && starts[i] < c.end; i++) {
      const set = rescans.get(i) ?? new Set<number>();
      set.add(c.detector);
      rescans.set(i, set);
    }
  }
  for (const [i, only] of rescans) {
    for (const c of findCandidates(leaves[i].text, plan.scan, only)) add(perLeaf, i, c);
  }
  return perLeaf;
}

function add(perLeaf: Map<number, Candidate[]>, leaf: number, candidate: Candidate): void {
  const list = perLeaf.get(leaf);
  if (list === undefined) perLeaf.set(leaf, [candidate]);
  else list.push(candidate);
}

function keyedDetectors(key: string, plan: MaskPlan): readonly number[] {
  if (key.length > MAX_KEY_LENGTH) return [];
  const known = plan.keyedByKey.get(key);
  if (known !== undefined) return known;
  const indexes: number[] = [];
  plan.scan.detectors.forEach((detector, index) => {
    if (detector.keyed?.key.test(key)) indexes.push(index);
  });
  if (plan.keyedByKey.size < MAX_CACHED_KEYS) plan.keyedByKey.set(key, indexes);
  return indexes;
}

function underExcludedKey(detector: Detector, key: string | undefined): boolean {
  return detector.notUnderKey !== undefined && key !== undefined && key.length <= MAX_KEY_LENGTH && detector.notUnderKey.test(key);
}

function replaceSpans(leaf: Leaf, kept: readonly Candidate[], plan: MaskPlan, findings: Finding[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const c of kept) {
    const detector = plan.scan.detectors[c.detector];
    const replacement = replacementFor(plan.styles[c.detector], detector, leaf.text.slice(c.start, c.end), plan.tokens);
    findings.push({ detector: detector.name, pointer: leaf.pointer, start: c.start, end: c.end, replacement });
    parts.push(leaf.text.slice(at, c.start), replacement);
    at = c.end;
  }
  parts.push(leaf.text.slice(at));
  return parts.join('');
}
