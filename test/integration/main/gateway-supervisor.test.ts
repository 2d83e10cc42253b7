import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayEnv } from '../../../src-main/gateway-env.js';
import { fileProbe } from '../../../src-main/gateway-probe.js';
import { GatewaySupervisor, type GatewayStatus, type GatewaySupervisorOptions } from '../../../src-main/gateway-supervisor.js';
import { nodeChildLauncher, type NodeChildLauncherOptions } from '../../../src-main/node-child-launcher.js';

// Runs the compiled gateway (bin/airlock.js → dist/): `npm test` builds it first (pretest).

const FIXTURE = join(import.meta.dirname, 'fixtures/ignores-sigterm.mjs');
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-main-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function supervise(launch: Partial<NodeChildLauncherOptions> = {}, options: Partial<GatewaySupervisorOptions> = {}) {
  const dir = tempDir();
  const dataDir = launch.dataDir ?? join(dir, 'data');
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, servers: {} }));
  let output = '';
  const supervisor = new GatewaySupervisor({
    launcher: nodeChildLauncher({ dataDir, configFile, ...launch }),
    probe: fileProbe(dataDir),
    // No test touches the developer's keychain.
    env: { ...gatewayEnv(), AIRLOCK_SECRET_STORE: 'env' },
    restart: { initialDelayMs: 100, maxDelayMs: 400, maxFailures: 3 },
    readyPollMs: 50,
    healthIntervalMs: 500,
    onOutput: (stream, line) => (output += `${stream}: ${line}\n`),
    ...options,
  });
  cleanups.push(() => supervisor.stop());
  return { supervisor, dataDir, output: () => output };
}

function waitForStatus(supervisor: GatewaySupervisor, matches: (status: GatewayStatus) => boolean, timeoutMs = 20_000) {
  return new Promise<GatewayStatus>((resolve, reject) => {
    if (matches(supervisor.current)) return resolve(supervisor.current);
    const timer = setTimeout(() => reject(new Error(`timed out; last status ${JSON.stringify(supervisor.current)}`)), timeoutMs);
    const off = supervisor.onStatus((status) => {
      if (!matches(status)) return;
      clearTimeout(timer);
      off();
      resolve(status);
    });
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('GatewaySupervisor with the real gateway', () => {
  it('starts the gateway and reports its url and control token once it is healthy', async () => {
    const { supervisor, dataDir } = supervise();
    const status = await supervisor.start();
    expect(status).toMatchObject({ state: 'running', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    expect(status.token).toBe(readFileSync(join(dataDir, 'control-token'), 'utf8').trim());
    expect(await (await fetch(`${status.url}/healthz`)).json()).toMatchObject({ ok: true });
    expect(JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')).pid).toBe(status.pid);
  });

  it.runIf(process.platform === 'linux')('passes only allowlisted variables to the child', async () => {
    process.env.SECRET_FROM_PARENT = 'do-not-leak';
    process.env.AIRLOCK_LOG_LEVEL = 'info';
    cleanups.push(() => {
      delete process.env.SECRET_FROM_PARENT;
      delete process.env.AIRLOCK_LOG_LEVEL;
    });
    const { supervisor } = supervise();
    const { pid } = await supervisor.start();
    const names = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean).map((entry) => entry.split('=')[0]);
    expect(names).not.toContain('SECRET_FROM_PARENT');
    expect(names).toEqual(expect.arrayContaining(['PATH', 'AIRLOCK_LOG_LEVEL', 'AIRLOCK_SECRET_STORE']));
    const allowed = /^(PATH|HOME|USER|LANG|TMPDIR|TEMP|TMP|DBUS_SESSION_BUS_ADDRESS|XDG_.*|AIRLOCK_.*)$/;
    expect(names.filter((name) => !allowed.test(name))).toEqual([]);
  });

  it('restarts a child killed with SIGKILL, with a new pid, healthy again', async () => {
    const { supervisor } = supervise();
    const first = await supervisor.start();
    process.kill(first.pid!, 'SIGKILL');
    const restarted = await waitForStatus(supervisor, (status) => status.state === 'running' && status.pid !== first.pid);
    expect(restarted.pid).not.toBe(first.pid);
    expect(restarted.lastError ?? supervisor.current.lastError).toBeUndefined();
    expect(await (await fetch(`${restarted.url}/healthz`)).json()).toMatchObject({ ok: true });
  });

  it('turns failing after K attempts when the gateway cannot start', async () => {
    const dataDir = join(tempDir(), 'not-a-dir');
    writeFileSync(dataDir, 'a file where the data dir should be');
    const { supervisor, output } = supervise({ dataDir });
    const states: GatewayStatus[] = [];
    supervisor.onStatus((status) => states.push(status));
    await expect(supervisor.start()).rejects.toThrow(/keeps failing/);
    expect(supervisor.current).toMatchObject({ state: 'failing', lastError: expect.stringMatching(/exited \(code [1-9]/) });
    // Three children, each of which failed: two restarts, then failing.
    expect(new Set(states.map((status) => status.pid).filter(Boolean)).size).toBe(3);
    expect(states.filter((status) => status.state === 'restarting' && status.pid === undefined)).toHaveLength(2);
    expect(output()).toMatch(/stderr: /);
  });

  it('stops the child with SIGTERM and resolves once it is gone', async () => {
    const { supervisor, dataDir } = supervise();
    const { pid } = await supervisor.start();
    expect(await supervisor.stop()).toBe('SIGTERM');
    expect(alive(pid!)).toBe(false);
    expect(supervisor.current).toEqual({ state: 'stopped' });
    // A clean shutdown removes the files that point at it.
    expect(() => readFileSync(join(dataDir, 'runtime.json'))).toThrow();
  });

  it('uses SIGKILL when the child ignores SIGTERM', async () => {
    const dataDir = join(tempDir(), 'data');
    const { supervisor, output } = supervise({ dataDir, command: { script: FIXTURE, args: [dataDir] } }, { killTimeoutMs: 500 });
    const { pid, token } = await supervisor.start();
    expect(token).toBe('fixture-token');
    expect(await supervisor.stop()).toBe('SIGKILL');
    expect(alive(pid!)).toBe(false);
    expect(output()).toContain('ignoring SIGTERM');
  });
});
