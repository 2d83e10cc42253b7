// One path's turn in one round: an unmeasured warm-up, then the three measured phases.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { concurrentPhase, sequentialPhase, type PhaseLimits } from './measure.js';
import { memoryKiB } from './proc-stats.js';
import type { BenchOptions } from './options.js';
import type { RoundResult } from './summarize.js';

/** Runs `path`'s warm-up and phases; each phase ends at the earlier of its own budget and `runDeadline`. */
export async function runPathRound(
  client: Client, proxyPid: number | undefined, round: number, options: BenchOptions, runDeadline: number,
): Promise<RoundResult> {
  const limits = (): PhaseLimits => ({
    callTimeoutMs: options.callTimeoutMs,
    deadline: Math.min(Date.now() + options.phaseSeconds * 1000, runDeadline),
  });
  const { inFlight } = options;
  const warmup = round === 1 ? options.warmup.first : options.warmup.later;
  await sequentialPhase(client, 'tiny', warmup.tiny, limits(), undefined);
  await sequentialPhase(client, 'blob_64k', warmup.blob, limits(), undefined);
  await concurrentPhase(client, 'tiny', warmup.concurrent, inFlight, limits(), undefined);
  const tiny = await sequentialPhase(client, 'tiny', options.tiny, limits(), proxyPid);
  const blob = await sequentialPhase(client, 'blob_64k', options.blob, limits(), proxyPid);
  const concurrent = await concurrentPhase(client, 'tiny', options.concurrent, inFlight, limits(), proxyPid);
  const proxyRssKiB = proxyPid === undefined ? undefined : memoryKiB(proxyPid)?.rss;
  return { round, tiny, blob, concurrent, proxyRssKiB };
}
