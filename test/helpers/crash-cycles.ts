import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAuditChain } from '../../src-gateway/store/audit-verify.js';
import { AIRLOCK_BIN, REPO } from './gateway-process.js';

/** What a run of kill -9 cycles found. `missing`, `integrityFailures` and `chainFailures` must be 0. */
export interface CrashFigures {
  cycles: number;
  /** Calls the agent (or the writer) was told were done before the kill. */
  acknowledged: number;
  /** Acknowledged calls whose request or response row is not in the store after the crash. */
  missing: number;
  /** Cycles after which `PRAGMA integrity_check` was not `ok`. */
  integrityFailures: number;
  /** Cycles after which the audit hash chain did not verify. */
  chainFailures: number;
  /** Cycles killed before the process was ready (while opening, migrating or recovering the store). */
  killedStarting: number;
  problems: string[];
}

interface Ack {
  sessionId: string;
  rpcId: string;
}

/** A small seeded generator (mulberry32), so a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emptyFigures(): CrashFigures {
  return { cycles: 0, acknowledged: 0, missing: 0, integrityFailures: 0, chainFailures: 0, killedStarting: 0, problems: [] };
}

/**
 * Kills the store's write path (test/fixtures/store-writer.mjs) with SIGKILL `cycles` times, at a
 * random moment after a random number of acknowledged calls (sometimes before it is ready), and
 * after each kill checks the store as the next start would find it. A fresh data dir is started
 * every `cyclesPerStore` cycles so the database stays small enough to check every time.
 */
export async function storeWriterCrashCycles(options: { root: string; cycles: number; seed: number; cyclesPerStore?: number; maxAcks?: number }): Promise<CrashFigures> {
  const random = seededRandom(options.seed);
  const figures = emptyFigures();
  const perStore = options.cyclesPerStore ?? 50;
  for (let cycle = 0; cycle < options.cycles; cycle++) {
    const dataDir = join(options.root, `store-${Math.floor(cycle / perStore)}`);
    const child = spawn(process.execPath, [join(REPO, 'test/fixtures/store-writer.mjs'), dataDir, `c${cycle}`, '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const killEarly = random() < 0.1;
    const target = Math.floor(random() * (options.maxAcks ?? 60));
    const acks: Ack[] = [];
    const lines = readLines(child, (line) => {
      const [word, sessionId, rpcId] = line.split(' ');
      if (word === 'ack') acks.push({ sessionId, rpcId });
      if (!killEarly && (word === 'ready' && target === 0 || acks.length >= target && target > 0)) child.kill('SIGKILL');
    });
    if (killEarly) setTimeout(() => child.kill('SIGKILL'), Math.floor(random() * 60));
    const { signal, stderr } = await lines;
    if (signal !== 'SIGKILL') figures.problems.push(`cycle ${cycle}: the writer exited by itself (${signal}): ${stderr}`);
    if (killEarly && acks.length === 0) figures.killedStarting += 1;
    checkAfterCrash(dataDir, acks, figures, `cycle ${cycle}`);
  }
  return figures;
}

/** The upstream server of the gateway cycles and the tool call the agent keeps making. */
export interface CrashUpstream {
  server: Record<string, unknown>;
  call: { name: string; arguments: Record<string, unknown> };
}

/**
 * Kills a real gateway (`airlock gateway`, one data dir for every cycle) with SIGKILL while an
 * agent keeps `inFlight` calls going at once over Streamable HTTP, after a random number of
 * answered calls; after each kill checks that every call the agent got an answer to is recorded.
 * A cycle that does not end within `cycleTimeoutMs` is killed and reported as a problem.
 */
export async function gatewayCrashCycles(options: { root: string; cycles: number; seed: number; upstream: CrashUpstream; inFlight?: number; maxAcks?: number; cycleTimeoutMs?: number }): Promise<CrashFigures> {
  const random = seededRandom(options.seed);
  const figures = emptyFigures();
  const dataDir = join(options.root, 'gateway-data');
  const configPath = join(options.root, 'gateway-config.json');
  mkdirSync(options.root, { recursive: true });
  writeFileSync(configPath, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, servers: { crash: options.upstream.server } }));
  for (let cycle = 0; cycle < options.cycles; cycle++) {
    const child = spawn(process.execPath, [AIRLOCK_BIN, 'gateway', '--config', configPath, '--data-dir', dataDir], {
      cwd: REPO,
      env: { ...process.env, AIRLOCK_SECRET_STORE: 'env', AIRLOCK_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const watchdog = setTimeout(() => {
      figures.problems.push(`cycle ${cycle}: did not end in time`);
      child.kill('SIGKILL');
    }, options.cycleTimeoutMs ?? 60_000);
    let url: string | undefined;
    let token: string | undefined;
    let started: () => void = () => {};
    const ready = new Promise<void>((resolve) => (started = resolve));
    const exited = readLines(child, (line) => {
      url ??= /^Agent URL: (\S+)/.exec(line)?.[1];
      token ??= /^Token for client "local": (\S+)/.exec(line)?.[1];
      if (url && token) started();
    });
    const outcome = await Promise.race([ready.then(() => 'ready' as const), exited.then(() => 'exited' as const)]);
    if (outcome === 'exited') {
      clearTimeout(watchdog);
      figures.problems.push(`cycle ${cycle}: the gateway did not start: ${(await exited).stderr}`);
      figures.cycles += 1;
      continue;
    }
    const target = 1 + Math.floor(random() * (options.maxAcks ?? 40));
    const acks: Ack[] = [];
    const stop = new AbortController();
    const agent = runAgent(url!, token!, options.upstream.call, options.inFlight ?? 4, stop.signal, (ack) => {
      acks.push(ack);
      if (acks.length >= target) child.kill('SIGKILL');
    });
    const { signal } = await exited;
    clearTimeout(watchdog);
    stop.abort();
    await agent;
    if (signal !== 'SIGKILL') figures.problems.push(`cycle ${cycle}: the gateway exited by itself (${signal})`);
    checkAfterCrash(dataDir, acks, figures, `cycle ${cycle}`);
  }
  return figures;
}

/** Opens the store the way the next start will (recovering the WAL) and checks it. */
function checkAfterCrash(dataDir: string, acks: Ack[], figures: CrashFigures, label: string): void {
  figures.cycles += 1;
  figures.acknowledged += acks.length;
  let db: Database.Database;
  try {
    db = new Database(join(dataDir, 'airlock.db'), { fileMustExist: true });
  } catch (error) {
    // Killed before the store was created: nothing can have been acknowledged.
    if (acks.length > 0) figures.problems.push(`${label}: no store after ${acks.length} acknowledged calls: ${String(error)}`);
    return;
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') {
      figures.integrityFailures += 1;
      figures.problems.push(`${label}: integrity_check says ${String(integrity)}`);
    }
    const recorded = db.prepare(
      `SELECT count(*) FROM messages WHERE session_id = ? AND rpc_id = ?
          AND ((direction = 'to-server' AND kind = 'request' AND outcome = 'forwarded') OR (direction = 'to-agent' AND kind = 'response' AND outcome = 'ok'))`,
    ).pluck();
    for (const ack of acks) {
      if (recorded.get(ack.sessionId, ack.rpcId) !== 2) {
        figures.missing += 1;
        figures.problems.push(`${label}: acknowledged call ${ack.rpcId} of session ${ack.sessionId} is not fully recorded`);
      }
    }
    const sessions = new Set(acks.map((ack) => ack.sessionId));
    for (const sessionId of sessions) {
      const report = verifyAuditChain(db, { sessionId });
      if (!report.ok) {
        figures.chainFailures += 1;
        figures.problems.push(`${label}: the hash chain of ${sessionId} breaks: ${JSON.stringify(report.problems)}`);
      }
    }
  } finally {
    db.close();
  }
}

/**
 * One agent over raw Streamable HTTP (the JSON-RPC ids are ours, so the records can be looked up):
 * initializes, then keeps `inFlight` calls going until the gateway goes away. A call counts as
 * acknowledged only when its result arrived.
 */
async function runAgent(url: string, token: string, call: CrashUpstream['call'], inFlight: number, signal: AbortSignal, acknowledged: (ack: Ack) => void): Promise<void> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const post = async (message: object) => (await fetch(url, { method: 'POST', headers, signal, body: JSON.stringify(message) })).text();
  try {
    const init = await fetch(url, {
      method: 'POST',
      headers,
      signal,
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'crash-agent', version: '1' } } }),
    });
    const sessionId = init.headers.get('mcp-session-id');
    await init.text();
    if (!init.ok || !sessionId) return;
    headers['mcp-session-id'] = sessionId;
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    let next = 1;
    const loop = async () => {
      while (!signal.aborted) {
        const id = next++;
        const answer = parseAnswer(await post({ jsonrpc: '2.0', id, method: 'tools/call', params: call }), id);
        if (answer && 'result' in answer) acknowledged({ sessionId, rpcId: JSON.stringify(id) });
      }
    };
    await Promise.all(Array.from({ length: inFlight }, loop));
  } catch {
    // The gateway was killed mid-call: that call was never acknowledged.
  }
}

/** The JSON-RPC answer with this id in a JSON or server-sent-events body. */
function parseAnswer(body: string, id: number): Record<string, unknown> | undefined {
  const candidates = body.trimStart().startsWith('{') ? [body] : body.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5));
  for (const candidate of candidates) {
    try {
      const message = JSON.parse(candidate) as Record<string, unknown>;
      if (message.id === id) return message;
    } catch {
      // A torn event: the stream was cut by the kill.
    }
  }
  return undefined;
}

/** Calls `onLine` per stdout line; resolves when the process has exited. */
function readLines(child: ChildProcess, onLine: (line: string) => void): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  let buffered = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // 'close' comes after stdout is drained, so every acknowledgement written before the kill is read.
  return new Promise((resolve) => child.once('close', (_code, signal) => resolve({ signal, stderr })));
}
