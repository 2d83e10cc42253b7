import fc from 'fast-check';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AIRLOCK_BIN, REPO } from '../helpers/gateway-process.js';
import { bodyText } from './json-rpc-arbitraries.js';

/** A fuzz case for the stdio front: lines an agent writes to `airlock connect`'s stdin. */
export interface StdioCase {
  lines: string[];
}

export const stdioCase: fc.Arbitrary<StdioCase> = fc.array(bodyText, { minLength: 1, maxLength: 4 }).map((lines) => ({ lines }));

/** How long the bridge may take to answer the ping after a case before it counts as wedged. */
const PING_WAIT_MS = 15_000;

/**
 * One `airlock connect probe` process, initialized like an agent would. After each case's lines
 * it must still answer a ping through the gateway, keep running, and write nothing but JSON-RPC
 * lines to stdout (the protocol channel).
 */
export class StdioFrontTarget {
  child!: ChildProcess;
  lines = 0;
  private readonly waiting = new Map<string, (message: Record<string, unknown>) => void>();
  private pings = 0;
  private stdoutError?: Error;
  private stderr = '';

  constructor(private readonly url: string, private readonly token: string) {}

  async setup(): Promise<void> {
    this.child = spawn(process.execPath, [AIRLOCK_BIN, 'connect', 'probe', '--url', this.url, '--token', this.token], {
      cwd: REPO,
      env: { ...process.env, AIRLOCK_LOG_LEVEL: 'error' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdin!.on('error', () => {});
    this.child.stderr!.on('data', (chunk) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(line) as Record<string, unknown>;
      } catch {
        this.stdoutError ??= new Error(`stdout carried a line that is not JSON: ${line.slice(0, 200)}`);
        return;
      }
      if (typeof message.id === 'string') this.waiting.get(message.id)?.(message);
    });
    const init = await this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } });
    if (!init.result) throw new Error(`initialize through the bridge failed: ${JSON.stringify(init)}`);
    this.write('{"jsonrpc":"2.0","method":"notifications/initialized"}');
  }

  /** Writes the case's lines, then proves the bridge still relays: a ping must come back with a result. */
  async run(fuzzCase: StdioCase): Promise<void> {
    for (const line of fuzzCase.lines) this.write(line);
    const pong = await this.request('ping', {});
    if (this.stdoutError) throw this.stdoutError;
    if (!pong.result) throw new Error(`the bridge answered the ping with ${JSON.stringify(pong).slice(0, 300)}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private write(line: string): void {
    this.lines += 1;
    // A line is one message: newlines inside a generated text would only split it into more garbage lines.
    this.child.stdin!.write(line.replace(/\n/g, ' ') + '\n');
  }

  private request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = `fuzz-${++this.pings}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        const state = this.child.exitCode === null ? 'running' : `exited with ${this.child.exitCode}`;
        reject(new Error(`no answer to ${method} within ${PING_WAIT_MS} ms (bridge ${state})\n${this.stderr}`));
      }, PING_WAIT_MS);
      this.waiting.set(id, (message) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(message);
      });
      this.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }
}
