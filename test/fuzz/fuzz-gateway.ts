import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_POLICY } from '../../src-gateway/policy/default-policy.js';
import { fixtureCommand, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';

export interface FuzzGateway {
  gateway: GatewayProcess;
  /** Resident memory of the gateway process now, and its peak so far, in MiB (from /proc). */
  memory(): { rssMiB: number; peakMiB: number };
  stop(): Promise<void>;
}

/**
 * A real gateway in front of the probe server over Streamable HTTP (one server process for every
 * session, so a fuzz case that opens sessions costs no process start). Its policy is the default
 * one, with approvals that time out after a second so that no held call outlives its case, and a
 * deny rule for the probe's tools that stall or exit.
 */
export async function startFuzzGateway(): Promise<FuzzGateway> {
  const scratch = mkdtempSync(join(tmpdir(), 'airlock-fuzz-'));
  const probeCommand = fixtureCommand('probe-server.ts', '--http');
  const probe = spawn(probeCommand.command, probeCommand.args, { cwd: probeCommand.cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await firstLine(probe);
  const policyPath = join(scratch, 'policy.json');
  // Rules and default only: other policy sections keep their defaults.
  writeFileSync(policyPath, JSON.stringify({
    defaultAction: DEFAULT_POLICY.defaultAction,
    rules: [
      { id: 'fuzz-no-stalls', match: { tool: ['slow', 'crash'] }, action: 'deny' },
      ...DEFAULT_POLICY.rules.map((rule) => (rule.action === 'approve' ? { ...rule, timeoutSeconds: 1 } : rule)),
    ],
  }));
  let gateway: GatewayProcess;
  try {
    gateway = await startGatewayProcess({ servers: { probe: { url: (JSON.parse(url) as { url: string }).url } }, policy: policyPath, limits: { maxBodyBytes: 256 * 1024 } });
  } catch (error) {
    probe.kill('SIGKILL');
    throw error;
  }
  return {
    gateway,
    memory() {
      const status = readFileSync(`/proc/${gateway.child.pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMiB: Math.round(kib('VmRSS') / 1024), peakMiB: Math.round(kib('VmHWM') / 1024) };
    },
    async stop() {
      await gateway.stop();
      if (probe.exitCode === null) {
        const exited = new Promise((resolve) => probe.once('exit', resolve));
        probe.kill('SIGTERM');
        await exited;
      }
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the probe server exited with ${code}`)));
  });
}
