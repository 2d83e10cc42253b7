import { describe, expect, it } from 'vitest';
import type { ChildLauncher, SupervisedChild } from '../../../src-main/child-launcher.js';
import type { GatewayEndpoint, GatewayProbe } from '../../../src-main/gateway-probe.js';
import { GatewaySupervisor, type Clock, type GatewayStatus } from '../../../src-main/gateway-supervisor.js';

// Fakes of our own seams (clock, launcher, probe), so the restart policy can be driven step by step.
// The real processes are in test/integration/main/.

class FakeClock implements Clock {
  private time = 0;
  private timers: Array<{ at: number; callback: () => void; id: number }> = [];
  private nextId = 1;
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  };
  /** Moves time forward, firing due timers in order and letting the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.callback();
      await settle();
    }
    this.time = target;
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

class FakeChild implements SupervisedChild {
  signals: string[] = [];
  private exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  constructor(
    readonly pid: number,
    private readonly ignoresSigterm = false,
  ) {}
  kill(signal: 'SIGTERM' | 'SIGKILL') {
    this.signals.push(signal);
    if (signal === 'SIGKILL' || !this.ignoresSigterm) this.exit(null, signal);
  }
  exit(code: number | null, signal: string | null = null) {
    const listeners = this.exitListeners;
    this.exitListeners = [];
    listeners.forEach((listener) => listener(code, signal));
  }
  onExit(listener: (code: number | null, signal: string | null) => void) {
    this.exitListeners.push(listener);
  }
  onStdout() {}
  onStderr() {}
}

function setup(options: { ignoresSigterm?: boolean; maxFailures?: number } = {}) {
  const clock = new FakeClock();
  const children: FakeChild[] = [];
  const launcher: ChildLauncher = {
    start: () => {
      const child = new FakeChild(1000 + children.length, options.ignoresSigterm);
      children.push(child);
      return child;
    },
  };
  /** pids whose gateway is up, and whether it answers health checks. */
  const up = new Map<number, boolean>();
  const probe: GatewayProbe = {
    ready: async (pid) => (up.get(pid) ? ({ url: `http://127.0.0.1:${pid}`, token: `token-${pid}` } satisfies GatewayEndpoint) : undefined),
    healthy: async (url) => up.get(Number(new URL(url).port)) === true,
  };
  const supervisor = new GatewaySupervisor({
    launcher,
    probe,
    env: {},
    clock,
    restart: { maxFailures: options.maxFailures ?? 5, windowMs: 120_000 },
    readyPollMs: 100,
    startTimeoutMs: 5000,
    healthIntervalMs: 1000,
    killTimeoutMs: 3000,
  });
  const states: GatewayStatus[] = [];
  supervisor.onStatus((status) => states.push(status));
  return { clock, children, up, supervisor, states, last: () => children[children.length - 1] };
}

describe('GatewaySupervisor', () => {
  it('resolves start() once the child is healthy, with its url and token', async () => {
    const { clock, supervisor, up, states } = setup();
    let started: GatewayStatus | undefined;
    void supervisor.start().then((status) => (started = status));
    await clock.advance(300);
    expect(started).toBeUndefined();
    expect(supervisor.current.state).toBe('starting');
    up.set(1000, true);
    await clock.advance(100);
    expect(started).toMatchObject({ state: 'running', pid: 1000, url: 'http://127.0.0.1:1000', token: 'token-1000' });
    expect(states.map((s) => s.state)).toEqual(['starting', 'starting', 'running']);
  });

  it('restarts a crashed child after 0.5 s, then 1 s, then 2 s', async () => {
    const { clock, supervisor, up, children, last } = setup();
    up.set(1000, true).set(1001, true).set(1002, true).set(1003, true);
    await Promise.all([supervisor.start(), clock.advance(0)]);
    for (const delay of [500, 1000, 2000]) {
      const count = children.length;
      last().exit(1);
      expect(supervisor.current).toMatchObject({ state: 'restarting', retryInMs: delay });
      await clock.advance(delay - 1);
      expect(children.length).toBe(count);
      await clock.advance(1);
      expect(children.length).toBe(count + 1);
      expect(supervisor.current).toMatchObject({ state: 'running', pid: last().pid });
    }
  });

  it('ignores the exit of a child it already replaced', async () => {
    const { clock, supervisor, up, children } = setup({ ignoresSigterm: true });
    up.set(1000, true);
    await Promise.all([supervisor.start(), clock.advance(0)]);
    up.set(1000, false);
    await clock.advance(2000);
    expect(supervisor.current.state).toBe('restarting');
    expect(children[0].signals).toEqual(['SIGTERM']);
    // The replacement waits for the old child to go, as both use the same data dir.
    await clock.advance(1000);
    expect(children.length).toBe(1);
    up.set(1001, true);
    await clock.advance(2000);
    expect(children[0].signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(supervisor.current).toMatchObject({ state: 'running', pid: 1001 });
    children[0].exit(null, 'SIGKILL');
    await clock.advance(10_000);
    expect(supervisor.current).toMatchObject({ state: 'running', pid: 1001 });
    expect(children.length).toBe(2);
  });

  it('replaces a child that fails two health checks in a row, not one', async () => {
    const { clock, supervisor, up, children } = setup();
    up.set(1000, true);
    await Promise.all([supervisor.start(), clock.advance(0)]);
    up.set(1000, false);
    await clock.advance(1000);
    up.set(1000, true);
    await clock.advance(1000);
    up.set(1000, false);
    await clock.advance(1000);
    expect(supervisor.current.state).toBe('running');
    await clock.advance(1000);
    expect(supervisor.current).toMatchObject({ state: 'restarting', lastError: expect.stringContaining('health check') });
    expect(children[0].signals).toEqual(['SIGTERM']);
  });

  it('replaces a child that is not healthy within the start timeout', async () => {
    const { clock, supervisor, children } = setup();
    void supervisor.start().catch(() => {});
    await clock.advance(5000);
    expect(supervisor.current).toMatchObject({ state: 'restarting', lastError: expect.stringContaining('not healthy within') });
    expect(children[0].signals).toEqual(['SIGTERM']);
  });

  it('turns failing after K failures, rejects start(), and recovers when a child comes up', async () => {
    const { clock, supervisor, up, states, children, last } = setup({ maxFailures: 3 });
    const started = supervisor.start();
    const outcome = started.then(() => 'running', (error: Error) => error.message);
    for (let i = 0; i < 3; i++) {
      last().exit(1);
      await clock.advance(4000);
    }
    expect(await outcome).toMatch(/keeps failing/);
    expect(states.filter((s) => s.state === 'failing').length).toBeGreaterThan(0);
    expect(states.find((s) => s.state === 'failing')).toMatchObject({ lastError: expect.stringContaining('code 1') });
    up.set(last().pid, true);
    await clock.advance(100);
    expect(supervisor.current).toMatchObject({ state: 'running', pid: last().pid });
    expect(children.length).toBe(4);
  });

  it('stops with SIGTERM and resolves when the child has exited', async () => {
    const { clock, supervisor, up, children } = setup();
    up.set(1000, true);
    await Promise.all([supervisor.start(), clock.advance(0)]);
    expect(await supervisor.stop()).toBe('SIGTERM');
    expect(children[0].signals).toEqual(['SIGTERM']);
    expect(supervisor.current).toEqual({ state: 'stopped' });
    await clock.advance(60_000);
    expect(children.length).toBe(1);
  });

  it('sends SIGKILL when the child ignores SIGTERM', async () => {
    const { clock, supervisor, up, children } = setup({ ignoresSigterm: true });
    up.set(1000, true);
    await Promise.all([supervisor.start(), clock.advance(0)]);
    let result: string | null | undefined;
    void supervisor.stop().then((signal) => (result = signal));
    await clock.advance(2999);
    expect(result).toBeUndefined();
    await clock.advance(1);
    expect(result).toBe('SIGKILL');
    expect(children[0].signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('cancels a pending restart when stopped', async () => {
    const { clock, supervisor, up, children } = setup();
    up.set(1000, true);
    await Promise.all([supervisor.start(), clock.advance(0)]);
    children[0].exit(1);
    expect(await supervisor.stop()).toBeNull();
    await clock.advance(60_000);
    expect(children.length).toBe(1);
    expect(supervisor.current.state).toBe('stopped');
  });
});
