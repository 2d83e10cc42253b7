// The measured phases: sequential latency and throughput at a fixed number of calls in flight, each
// with the CPU time the process in the middle spent on it.
import { performance } from 'node:perf_hooks';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { BLOB_BYTES } from '../fixtures/bench-tools.js';
import { cpuMicros } from './proc-stats.js';
import { quantile } from './stats.js';

export type ToolName = 'tiny' | 'blob_64k';

/** A phase gives up after this many failed calls: its figures would describe failures, not the path. */
const MAX_ERRORS = 20;

/** What bounds a phase: a per-call timeout and a wall-clock deadline (epoch ms). */
export interface PhaseLimits {
  callTimeoutMs: number;
  deadline: number;
}

/** One phase on one path in one round. */
export interface PhaseResult {
  /** Calls answered without error. */
  calls: number;
  errors: number;
  firstError?: string;
  /** True if the deadline or too many errors stopped the phase before it made all its calls. */
  truncated: boolean;
  elapsedMs: number;
  callsPerSecond: number;
  /** Latency quantiles of single calls (sequential phases only). */
  p50Ms?: number;
  p99Ms?: number;
  /** CPU time of the process in the middle over the phase, per call; undefined when there is none. */
  proxyCpuUsPerCall?: number;
  /** CPU time of the bench process (the SDK client) per call: the share of the machine the harness took. */
  clientCpuUsPerCall: number;
}

async function callOnce(client: Client, tool: ToolName, timeoutMs: number): Promise<void> {
  const result = await client.callTool({ name: tool, arguments: {} }, undefined, { timeout: timeoutMs });
  if (result.isError) throw new Error(`${tool} returned an error result: ${JSON.stringify(result.content).slice(0, 200)}`);
}

async function measured(
  proxyPid: number | undefined,
  run: (tally: { calls: number; errors: number; firstError?: string }) => Promise<boolean>,
): Promise<PhaseResult> {
  const tally: { calls: number; errors: number; firstError?: string } = { calls: 0, errors: 0 };
  const cpuBefore = proxyPid === undefined ? undefined : cpuMicros(proxyPid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const truncated = await run(tally);
  const elapsedMs = performance.now() - started;
  const client = process.cpuUsage(clientBefore);
  const cpuAfter = proxyPid === undefined ? undefined : cpuMicros(proxyPid);
  const total = tally.calls + tally.errors;
  return {
    ...tally,
    truncated,
    elapsedMs,
    callsPerSecond: tally.calls / (elapsedMs / 1000),
    proxyCpuUsPerCall: cpuBefore !== undefined && cpuAfter !== undefined && total > 0 ? (cpuAfter - cpuBefore) / total : undefined,
    clientCpuUsPerCall: total > 0 ? (client.user + client.system) / total : 0,
  };
}

function recordError(tally: { errors: number; firstError?: string }, error: unknown): void {
  tally.errors += 1;
  tally.firstError ??= error instanceof Error ? error.message : String(error);
}

/** `count` calls of `tool`, one at a time; p50/p99 of their latencies. */
export async function sequentialPhase(
  client: Client, tool: ToolName, count: number, limits: PhaseLimits, proxyPid: number | undefined,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  const result = await measured(proxyPid, async (tally) => {
    for (let i = 0; i < count; i++) {
      if (Date.now() > limits.deadline || tally.errors >= MAX_ERRORS) return true;
      const started = performance.now();
      try {
        await callOnce(client, tool, limits.callTimeoutMs);
        latencies.push(performance.now() - started);
        tally.calls += 1;
      } catch (error) {
        recordError(tally, error);
      }
    }
    return false;
  });
  return { ...result, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
}

/** `total` calls of `tool` with `inFlight` of them outstanding at any time. */
export async function concurrentPhase(
  client: Client, tool: ToolName, total: number, inFlight: number, limits: PhaseLimits, proxyPid: number | undefined,
): Promise<PhaseResult> {
  return measured(proxyPid, async (tally) => {
    let issued = 0;
    let truncated = false;
    const worker = async () => {
      while (issued < total) {
        if (Date.now() > limits.deadline || tally.errors >= MAX_ERRORS) {
          truncated = true;
          return;
        }
        issued += 1;
        try {
          await callOnce(client, tool, limits.callTimeoutMs);
          tally.calls += 1;
        } catch (error) {
          recordError(tally, error);
        }
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return truncated;
  });
}

/**
 * Checks that the path returns each tool's result intact, so the figures describe a path that works.
 * Returns a problem description, or undefined if both results arrived as sent.
 */
export async function checkResults(client: Client, timeoutMs: number): Promise<string | undefined> {
  const text = async (tool: ToolName) => {
    const result = await client.callTool({ name: tool, arguments: {} }, undefined, { timeout: timeoutMs });
    const first = (result.content as { type: string; text?: string }[] | undefined)?.[0];
    return first?.type === 'text' ? first.text : undefined;
  };
  const tiny = await text('tiny');
  if (tiny !== 'ok') return `tiny returned ${JSON.stringify(tiny)?.slice(0, 80)}, expected "ok"`;
  const blob = await text('blob_64k');
  if (blob?.length !== BLOB_BYTES) return `blob_64k returned ${blob?.length ?? 'no'} characters, expected ${BLOB_BYTES}`;
  return undefined;
}
