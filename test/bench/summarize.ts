// Turns per-round results into one figure per path (the median over rounds), compares Airlock with the
// best peer proxy figure by figure, and checks the targets.
import type { PhaseResult } from './measure.js';
import { PEERS, type PathName } from './paths.js';
import { median } from './stats.js';

/** One path's measurements in one round. */
export interface RoundResult {
  round: number;
  tiny: PhaseResult;
  blob: PhaseResult;
  concurrent: PhaseResult;
  /** Resident set of the process in the middle after the round, to show growth across rounds. */
  proxyRssKiB?: number;
}

/** Everything measured on one path. */
export interface PathRun {
  name: PathName;
  describe: string;
  proxyPid?: number;
  /** From starting the path to the first session's initialize answered, upstream spawn included. */
  firstConnectMs?: number;
  /** A problem with the results the path returned, if any. */
  resultProblem?: string;
  rounds: RoundResult[];
  /** Peak (VmHWM) and final (VmRSS) resident set of the process in the middle. */
  memoryKiB?: { peak: number; rss: number };
  error?: string;
}

export const FIGURES = {
  tinyP50Ms: { label: 'tiny p50 (ms)', better: 'lower' },
  tinyP99Ms: { label: 'tiny p99 (ms)', better: 'lower' },
  blobP50Ms: { label: '64 KB p50 (ms)', better: 'lower' },
  blobP99Ms: { label: '64 KB p99 (ms)', better: 'lower' },
  addedTinyP50Ms: { label: 'added tiny p50 over direct-http (ms)', better: 'lower' },
  addedBlobP50Ms: { label: 'added 64 KB p50 over direct-http (ms)', better: 'lower' },
  callsPerSecond: { label: 'calls/s, tiny, 16 in flight', better: 'higher' },
  cpuTinyUs: { label: 'proxy CPU µs/call, tiny sequential', better: 'lower' },
  cpuBlobUs: { label: 'proxy CPU µs/call, 64 KB sequential', better: 'lower' },
  cpuConcurrentUs: { label: 'proxy CPU µs/call, tiny 16 in flight', better: 'lower' },
  peakRssMiB: { label: 'proxy peak RSS (MiB)', better: 'lower' },
} as const satisfies Record<string, { label: string; better: 'lower' | 'higher' }>;

export type FigureName = keyof typeof FIGURES;
export type Figures = Partial<Record<FigureName, number>>;

export interface Comparison {
  /** Per figure, the better of the peers' values and which peer had it. */
  bestPeer: Partial<Record<FigureName, { path: PathName; value: number }>>;
  /** Per figure, Airlock's value divided by the best peer's. */
  airlockRatio: Partial<Record<FigureName, number>>;
}

export interface TargetCheck {
  target: string;
  airlock?: number;
  limit?: number;
  met?: boolean;
}

function figuresOf(run: PathRun): Figures {
  const rounds = run.rounds;
  const peak = run.memoryKiB?.peak;
  return {
    tinyP50Ms: median(rounds.map((r) => r.tiny.p50Ms)),
    tinyP99Ms: median(rounds.map((r) => r.tiny.p99Ms)),
    blobP50Ms: median(rounds.map((r) => r.blob.p50Ms)),
    blobP99Ms: median(rounds.map((r) => r.blob.p99Ms)),
    callsPerSecond: median(rounds.map((r) => r.concurrent.callsPerSecond)),
    cpuTinyUs: median(rounds.map((r) => r.tiny.proxyCpuUsPerCall)),
    cpuBlobUs: median(rounds.map((r) => r.blob.proxyCpuUsPerCall)),
    cpuConcurrentUs: median(rounds.map((r) => r.concurrent.proxyCpuUsPerCall)),
    peakRssMiB: peak === undefined ? undefined : peak / 1024,
  };
}

/** The median figures of every path that ran, with latency added over `direct-http`. */
export function summarize(runs: PathRun[]): Partial<Record<PathName, Figures>> {
  const figures: Partial<Record<PathName, Figures>> = {};
  for (const run of runs) if (run.rounds.length > 0) figures[run.name] = figuresOf(run);
  const base = figures['direct-http'];
  for (const [name, own] of Object.entries(figures) as [PathName, Figures][]) {
    if (!base || name === 'direct-http' || name === 'direct-stdio') continue;
    if (own.tinyP50Ms !== undefined && base.tinyP50Ms !== undefined) own.addedTinyP50Ms = own.tinyP50Ms - base.tinyP50Ms;
    if (own.blobP50Ms !== undefined && base.blobP50Ms !== undefined) own.addedBlobP50Ms = own.blobP50Ms - base.blobP50Ms;
  }
  return figures;
}

/** Airlock against the better of the peers, figure by figure. */
export function compare(figures: Partial<Record<PathName, Figures>>): Comparison {
  const comparison: Comparison = { bestPeer: {}, airlockRatio: {} };
  for (const [name, { better }] of Object.entries(FIGURES) as [FigureName, (typeof FIGURES)[FigureName]][]) {
    for (const peer of PEERS) {
      const value = figures[peer]?.[name];
      const best = comparison.bestPeer[name];
      if (value === undefined) continue;
      if (!best || (better === 'lower' ? value < best.value : value > best.value)) comparison.bestPeer[name] = { path: peer, value };
    }
    const airlock = figures.airlock?.[name];
    const best = comparison.bestPeer[name];
    // A ratio of added latencies means nothing once the peer adds nothing measurable.
    if (airlock !== undefined && best && best.value > 0) comparison.airlockRatio[name] = airlock / best.value;
  }
  return comparison;
}

function check(target: string, airlock: number | undefined, limit: number | undefined): TargetCheck {
  return { target, airlock, limit, met: airlock === undefined || limit === undefined ? undefined : airlock <= limit };
}

/** The targets for Airlock (recording on). */
export function checkTargets(figures: Partial<Record<PathName, Figures>>, comparison: Comparison): TargetCheck[] {
  const airlock = figures.airlock ?? {};
  const best = comparison.bestPeer;
  const scaled = (value: number | undefined, factor: number) => (value === undefined ? undefined : value * factor);
  return [
    check('added tiny p50 over direct-http ≤ best peer’s (ms)', airlock.addedTinyP50Ms, best.addedTinyP50Ms?.value),
    check('added 64 KB p50 over direct-http ≤ best peer’s (ms)', airlock.addedBlobP50Ms, best.addedBlobP50Ms?.value),
    check('CPU/call tiny sequential ≤ 0.7 × best peer’s (µs)', airlock.cpuTinyUs, scaled(best.cpuTinyUs?.value, 0.7)),
    check('CPU/call 64 KB sequential ≤ 0.7 × best peer’s (µs)', airlock.cpuBlobUs, scaled(best.cpuBlobUs?.value, 0.7)),
    check('CPU/call tiny 16 in flight ≤ 0.7 × best peer’s (µs)', airlock.cpuConcurrentUs, scaled(best.cpuConcurrentUs?.value, 0.7)),
    check('peak RSS ≤ 100 MiB', airlock.peakRssMiB, 100),
  ];
}
