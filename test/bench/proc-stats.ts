// CPU time and memory of one process, read from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
export const CLOCK_TICKS = readClockTicks();

/** The fields of /proc/<pid>/stat after the command name, which may itself contain spaces and ')'. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Parent pid and start time (in ticks since boot) of a live process; the pair names it across pid reuse. */
export function processIdentity(pid: number): { ppid: number; startTime: string } | undefined {
  const fields = statFields(pid);
  // Field 4 (ppid) and 22 (starttime) of proc(5), counted from field 3 (state) at index 0.
  return fields ? { ppid: Number(fields[1]), startTime: fields[19] } : undefined;
}

/** User + system CPU time of all threads of `pid`, in microseconds; undefined once it has exited. */
export function cpuMicros(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  // utime and stime are fields 14 and 15 of proc(5).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks / CLOCK_TICKS) * 1e6;
}

/** Current (VmRSS) and peak (VmHWM) resident set size of `pid`, in KiB. */
export function memoryKiB(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `pid`, found by walking the parent links of all processes. */
export function descendants(pid: number): { pid: number; startTime: string }[] {
  const children = new Map<number, { pid: number; startTime: string }[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const identity = processIdentity(Number(entry));
    if (!identity) continue;
    const siblings = children.get(identity.ppid) ?? [];
    siblings.push({ pid: Number(entry), startTime: identity.startTime });
    children.set(identity.ppid, siblings);
  }
  const found: { pid: number; startTime: string }[] = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 10_000) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}
