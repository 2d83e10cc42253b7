import type { ChildLauncher, SupervisedChild } from './child-launcher.js';
import type { GatewayEndpoint, GatewayProbe } from './gateway-probe.js';
import { RestartPolicy, type RestartPolicyOptions } from './restart-policy.js';

export type GatewayState = 'starting' | 'running' | 'restarting' | 'failing' | 'stopped';

/** What the tray shows. `token` is for main's own control-API calls; it never goes to the renderer. */
export interface GatewayStatus {
  state: GatewayState;
  pid?: number;
  url?: string;
  token?: string;
  /** Why the last child was replaced. */
  lastError?: string;
  /** Restarting or failing: how long until the next attempt. */
  retryInMs?: number;
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface GatewaySupervisorOptions {
  launcher: ChildLauncher;
  probe: GatewayProbe;
  /** The child's whole environment: build it with `gatewayEnv()`. */
  env: Record<string, string>;
  clock?: Clock;
  restart?: RestartPolicyOptions;
  /** A child not healthy this long after its start is replaced. */
  startTimeoutMs?: number;
  readyPollMs?: number;
  healthIntervalMs?: number;
  /** Failed health checks in a row that make a running child be replaced. */
  unhealthyChecks?: number;
  /** How long SIGTERM has before SIGKILL. */
  killTimeoutMs?: number;
  onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
}

/** One child and what the supervisor knows of it. */
interface Run {
  child: SupervisedChild | undefined;
  exited: Promise<void>;
  done: boolean;
  endpoint?: GatewayEndpoint;
}

/**
 * Owns the gateway child: starts it, waits until it is healthy, checks it, restarts it with backoff
 * when it crashes or stops answering, and stops it with SIGTERM then SIGKILL. Exactly one child is
 * current; the exit of any other (one already replaced) is ignored.
 */
export class GatewaySupervisor {
  private readonly clock: Clock;
  private readonly policy: RestartPolicy;
  private readonly listeners = new Set<(status: GatewayStatus) => void>();
  private status: GatewayStatus = { state: 'stopped' };
  private run: Run | undefined;
  /** A replaced child still on its way out; the next one starts only after it is gone (same data dir). */
  private leaving: Promise<unknown> = Promise.resolve();
  private timer: unknown;
  private waiters: Array<{ resolve: (status: GatewayStatus) => void; reject: (error: Error) => void }> = [];
  private stopping: Promise<'SIGTERM' | 'SIGKILL' | null> | undefined;

  constructor(private readonly options: GatewaySupervisorOptions) {
    this.clock = options.clock ?? systemClock;
    this.policy = new RestartPolicy(options.restart);
  }

  get current(): GatewayStatus {
    return { ...this.status };
  }

  /** Calls `listener` on every change of state; returns the unsubscribe function. */
  onStatus(listener: (status: GatewayStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts the gateway if it is stopped. Resolves once a child is healthy; rejects when the gateway
   * turns `failing` (restarts go on, and the status reports when one succeeds) or is stopped.
   */
  async start(): Promise<GatewayStatus> {
    if (this.stopping) await this.stopping;
    if (this.status.state === 'running') return this.current;
    const ready = new Promise<GatewayStatus>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.status.state === 'stopped') {
      this.policy.reset();
      this.setStatus({ state: 'starting' });
      this.launch();
    }
    return ready;
  }

  /** Stops the child: SIGTERM, SIGKILL after `killTimeoutMs`. Resolves, with the last signal sent, once it has exited. */
  stop(): Promise<'SIGTERM' | 'SIGKILL' | null> {
    return (this.stopping ??= (async () => {
      this.cancelTimer();
      const run = this.run;
      this.run = undefined;
      this.settleWaiters(new Error('the gateway was stopped'));
      const signal = run ? await this.terminate(run) : null;
      await this.leaving;
      this.setStatus({ state: 'stopped' });
      this.stopping = undefined;
      return signal;
    })());
  }

  private launch(): void {
    let resolveExited!: () => void;
    const run: Run = { child: undefined, done: false, exited: new Promise((resolve) => (resolveExited = resolve)) };
    this.run = run;
    try {
      run.child = this.options.launcher.start(this.options.env);
    } catch (error) {
      run.done = true;
      resolveExited();
      this.fail(run, `cannot start the gateway: ${(error as Error).message}`);
      return;
    }
    const { child } = run;
    child.onStdout((line) => this.options.onOutput?.('stdout', line));
    child.onStderr((line) => this.options.onOutput?.('stderr', line));
    child.onExit((code, signal) => {
      run.done = true;
      resolveExited();
      // Only the current child matters: a replaced one was meant to go.
      if (this.run === run) this.fail(run, `the gateway exited (${signal ? `signal ${signal}` : `code ${code}`})`);
    });
    if (this.run !== run) return;
    this.setStatus({ ...this.status, pid: child.pid, url: undefined, token: undefined });
    void this.pollReady(run, this.clock.now() + (this.options.startTimeoutMs ?? 20_000));
  }

  private async pollReady(run: Run, deadline: number): Promise<void> {
    const pid = run.child?.pid;
    const endpoint = pid === undefined ? undefined : await this.options.probe.ready(pid).catch(() => undefined);
    if (this.run !== run) return;
    if (endpoint) {
      run.endpoint = endpoint;
      this.policy.noteHealthy(this.clock.now());
      this.setStatus({ state: 'running', pid, ...endpoint });
      this.settleWaiters();
      this.scheduleHealthCheck(run, 0);
      return;
    }
    if (this.clock.now() >= deadline) return this.fail(run, `the gateway was not healthy within ${this.options.startTimeoutMs ?? 20_000} ms`);
    this.timer = this.clock.setTimeout(() => void this.pollReady(run, deadline), this.options.readyPollMs ?? 200);
  }

  private scheduleHealthCheck(run: Run, misses: number): void {
    this.timer = this.clock.setTimeout(async () => {
      const ok = await this.options.probe.healthy(run.endpoint!.url).catch(() => false);
      if (this.run !== run) return;
      if (ok) return this.scheduleHealthCheck(run, 0);
      if (misses + 1 >= (this.options.unhealthyChecks ?? 2)) return this.fail(run, 'the gateway stopped answering its health check');
      this.scheduleHealthCheck(run, misses + 1);
    }, this.options.healthIntervalMs ?? 5_000);
  }

  /** Replaces the current child `run` after the backoff delay. */
  private fail(run: Run, reason: string): void {
    if (this.run !== run || this.stopping) return;
    this.cancelTimer();
    this.run = undefined;
    const { delayMs, failing } = this.policy.noteFailure(this.clock.now());
    this.setStatus({ state: failing ? 'failing' : 'restarting', lastError: reason, retryInMs: delayMs });
    if (failing) this.settleWaiters(new Error(`the gateway keeps failing: ${reason}`));
    const leaving = this.terminate(run);
    this.leaving = leaving;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void leaving.then(() => {
        if (!this.stopping && this.run === undefined && this.status.state !== 'stopped') this.launch();
      });
    }, delayMs);
  }

  /** SIGTERM, then SIGKILL if the child is still there after `killTimeoutMs`; resolves once it has exited. */
  private async terminate(run: Run): Promise<'SIGTERM' | 'SIGKILL' | null> {
    if (run.done || !run.child) return null;
    let signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM';
    run.child.kill('SIGTERM');
    const killer = this.clock.setTimeout(() => {
      signal = 'SIGKILL';
      run.child!.kill('SIGKILL');
    }, this.options.killTimeoutMs ?? 5_000);
    await run.exited;
    this.clock.clearTimeout(killer);
    return signal;
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private settleWaiters(error?: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve(this.current);
    }
  }

  private setStatus(status: GatewayStatus): void {
    this.status = status;
    const snapshot = this.current;
    for (const listener of this.listeners) listener(snapshot);
  }
}
