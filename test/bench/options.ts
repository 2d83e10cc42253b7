// Command-line options of the gateway benchmark.
import { parseArgs } from 'node:util';
import { PATH_NAMES, type PathName } from './paths.js';

export interface WarmupCounts {
  tiny: number;
  blob: number;
  concurrent: number;
}

export interface BenchOptions {
  paths: PathName[];
  rounds: number;
  /** Sequential calls per path and round. */
  tiny: number;
  blob: number;
  /** Calls per path and round in the concurrency phase, and how many are in flight. */
  concurrent: number;
  inFlight: number;
  /** Unmeasured calls before each path's phases in round 1, and in every later round. */
  warmup: { first: WarmupCounts; later: WarmupCounts };
  callTimeoutMs: number;
  /** Wall-clock bound of one phase, and of the whole run. */
  phaseSeconds: number;
  maxSeconds: number;
  outFile: string;
}

export const USAGE = `npm run bench -- [options]

  --quick             a smoke run: 1 round, 200 tiny, 50 blob, 200 concurrent calls
  --rounds N          rounds; paths take turns within each round, in a rotating order (default 3)
  --tiny N            sequential tiny calls per path and round (default 2000)
  --blob N            sequential blob_64k calls per path and round (default 500)
  --concurrent N      tiny calls per path and round with --in-flight outstanding (default 2000)
  --in-flight N       calls in flight in the concurrency phase (default 16)
  --paths a,b,...     paths to run, of ${PATH_NAMES.join(', ')} (default all)
  --max-seconds N     hard bound on the whole run; phases past it are skipped (default 600)
  --out FILE          JSON results (default bench-results/latest.json)

Environment: BENCH_ROUNDS, BENCH_TINY, BENCH_BLOB, BENCH_CONCURRENT, BENCH_PATHS set the same defaults.`;

function count(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > 1_000_000) throw new Error(`--${name} must be an integer ≥ ${min}, got ${raw}`);
  return value;
}

function pathList(raw: string | undefined): PathName[] {
  if (raw === undefined) return [...PATH_NAMES];
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!(PATH_NAMES as readonly string[]).includes(name)) throw new Error(`unknown path ${name}; known: ${PATH_NAMES.join(', ')}`);
  }
  return PATH_NAMES.filter((name) => names.includes(name));
}

/** Parses argv (and BENCH_* variables); returns undefined when --help was asked for. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean' },
      rounds: { type: 'string' },
      tiny: { type: 'string' },
      blob: { type: 'string' },
      concurrent: { type: 'string' },
      'in-flight': { type: 'string' },
      paths: { type: 'string' },
      'max-seconds': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick === true;
  const tiny = count('tiny', values.tiny ?? env.BENCH_TINY, quick ? 200 : 2000, 1);
  const blob = count('blob', values.blob ?? env.BENCH_BLOB, quick ? 50 : 500, 1);
  const concurrent = count('concurrent', values.concurrent ?? env.BENCH_CONCURRENT, quick ? 200 : 2000, 1);
  return {
    paths: pathList(values.paths ?? env.BENCH_PATHS),
    rounds: count('rounds', values.rounds ?? env.BENCH_ROUNDS, quick ? 1 : 3, 1),
    tiny,
    blob,
    concurrent,
    inFlight: count('in-flight', values['in-flight'], 16, 1),
    // Both ends of every HTTP path keep getting faster for the first few thousand calls (JIT), so round 1
    // warms up with half the measured calls; later rounds only need to get the caches hot again.
    warmup: {
      first: { tiny: Math.ceil(tiny / 2), blob: Math.ceil(blob / 2), concurrent: Math.ceil(concurrent / 2) },
      later: { tiny: Math.ceil(tiny / 10), blob: Math.ceil(blob / 10), concurrent: Math.ceil(concurrent / 10) },
    },
    callTimeoutMs: 15_000,
    phaseSeconds: 120,
    maxSeconds: count('max-seconds', values['max-seconds'], 600, 10),
    outFile: values.out ?? 'bench-results/latest.json',
  };
}
