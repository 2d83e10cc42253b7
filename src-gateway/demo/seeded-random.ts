/** Deterministic randomness for the demo data: the same back office on every machine and run. */
export type Random = () => number;

/** mulberry32: tiny, fast and the same on every machine, unlike Math.random. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const int = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
export const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)];
export const digits = (r: Random, count: number): string => Array.from({ length: count }, () => int(r, 0, 9)).join('');
export const pad = (value: number, width: number): string => String(value).padStart(width, '0');
