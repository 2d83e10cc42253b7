// `npm run bench`: SDK client → path → the same stdio server, for direct stdio, the SDK's own HTTP
// server, the peer proxies and Airlock. Not a test: it prints figures and writes bench-results/latest.json.
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { killAllOwnedNow, stopAllOwned } from './children.js';
import { checkResults } from './measure.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { startPath, type RunningPath } from './paths.js';
import { CLOCK_TICKS, memoryKiB } from './proc-stats.js';
import { renderMarkdown, writeJson, type BenchReport } from './report.js';
import { BENCH_SERVER, REPO_ROOT, shellLine } from './server-command.js';
import { runPathRound } from './path-round.js';
import type { Session } from './session.js';
import { checkTargets, compare, summarize, type PathRun } from './summarize.js';

/** How long past --max-seconds the watchdog waits for an orderly end before killing everything. */
const WATCHDOG_GRACE_MS = 60_000;

interface Active {
  path: RunningPath;
  session: Session;
  run: PathRun;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function startAll(options: BenchOptions, runs: PathRun[]): Promise<Active[]> {
  const active: Active[] = [];
  for (const name of options.paths) {
    const run: PathRun = { name, describe: '', rounds: [] };
    runs.push(run);
    let path: RunningPath | undefined;
    let session: Session | undefined;
    try {
      log(`starting ${name}`);
      const started = performance.now();
      path = await startPath(name);
      run.describe = path.describe;
      run.proxyPid = path.proxyPid;
      session = await path.connect();
      run.firstConnectMs = performance.now() - started;
      run.resultProblem = await checkResults(session.client, options.callTimeoutMs);
      active.push({ path, session, run });
    } catch (error) {
      run.error = errorText(error);
      log(`${name} failed to start: ${run.error}`);
      await session?.close();
      await path?.stop();
    }
  }
  return active;
}

async function runRounds(active: Active[], options: BenchOptions, runDeadline: number): Promise<void> {
  for (let round = 1; round <= options.rounds; round++) {
    // Rotate the order every round so that drifting load on a shared machine hits every path alike.
    const order = active.map((_, i) => active[(i + round - 1) % active.length]);
    for (const { path, session, run } of order) {
      if (run.error) continue;
      if (Date.now() > runDeadline) {
        log(`--max-seconds reached; skipping the rest of round ${round}`);
        return;
      }
      log(`round ${round}/${options.rounds}: ${path.name}`);
      try {
        const result = await runPathRound(session.client, path.proxyPid, round, options, runDeadline);
        run.rounds.push(result);
        const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(3)} ms`);
        log(`  tiny p50 ${ms(result.tiny.p50Ms)}, 64 KB p50 ${ms(result.blob.p50Ms)}, ` +
          `${Math.round(result.concurrent.callsPerSecond)} calls/s`);
      } catch (error) {
        run.error = errorText(error);
        log(`${path.name} failed: ${run.error}`);
      }
    }
  }
}

async function stopAll(active: Active[]): Promise<void> {
  for (const { path, session, run } of active) {
    if (path.proxyPid !== undefined) run.memoryKiB = memoryKiB(path.proxyPid);
    await session.close().catch(() => {});
    await path.stop().catch((error: unknown) => log(`stopping ${path.name}: ${errorText(error)}`));
  }
  await stopAllOwned();
}

function environment(): Record<string, string | number> {
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    clockTicks: CLOCK_TICKS,
    loadStart: loadavg().map((load) => load.toFixed(2)).join(' '),
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const startedAt = new Date();
  const runDeadline = Date.now() + options.maxSeconds * 1000;
  const watchdog = setTimeout(() => {
    log('watchdog: the run outlived --max-seconds by a minute; killing every child');
    killAllOwnedNow();
    process.exit(2);
  }, options.maxSeconds * 1000 + WATCHDOG_GRACE_MS);
  const env = environment();
  const runs: PathRun[] = [];
  let active: Active[] = [];
  try {
    active = await startAll(options, runs);
    await runRounds(active, options, runDeadline);
  } finally {
    await stopAll(active);
    clearTimeout(watchdog);
  }
  env.loadEnd = loadavg().map((load) => load.toFixed(2)).join(' ');
  const figures = summarize(runs);
  const comparison = compare(figures);
  const { outFile, ...settings } = options;
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    environment: env,
    settings,
    upstreamCommand: shellLine(BENCH_SERVER),
    runs,
    figures,
    comparison,
    targets: checkTargets(figures, comparison),
  };
  process.stdout.write(renderMarkdown(report));
  const file = resolve(REPO_ROOT, outFile);
  writeJson(report, file);
  log(`wrote ${file}`);
  return runs.some((run) => run.error) ? 1 : 0;
}

process.on('exit', killAllOwnedNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping children`);
    void stopAllOwned().finally(() => process.exit(130));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopAllOwned();
    process.exitCode = 1;
  },
);
