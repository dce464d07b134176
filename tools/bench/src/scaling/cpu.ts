// CPU time from /proc: the whole machine's busy time, and chosen processes' own, so a figure can
// say how many of the cores were in use while it was measured. Linux only; elsewhere it reads 0.
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of /proc's CPU times on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuReading {
  readonly at: number;
  /** Seconds the machine's cores were busy in all (not idle, not waiting for I/O), since boot. */
  readonly machineBusySeconds: number;
  /** Seconds of CPU (user + system) of the processes asked for, together. */
  readonly processSeconds: number;
}

/** The `cpu` line of /proc/stat: busy seconds of all cores together. */
export function busySecondsOf(procStat: string): number {
  const line = procStat.split('\n').find((row) => row.startsWith('cpu '));
  if (line === undefined) return 0;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** utime + stime of /proc/<pid>/stat, in seconds (its 14th and 15th fields, after the name). */
export function processSecondsOf(pidStat: string): number {
  if (!pidStat.includes(')')) return 0;
  const fields = pidStat.slice(pidStat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the 3rd field (state): utime and stime are the 14th and 15th.
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / TICKS_PER_SECOND;
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function readCpu(pids: readonly number[]): CpuReading {
  return {
    at: Date.now(),
    machineBusySeconds: busySecondsOf(readOr('/proc/stat')),
    processSeconds: pids.reduce((sum, pid) => sum + processSecondsOf(readOr(`/proc/${pid}/stat`)), 0),
  };
}

/** Cores in use between two readings: the machine's and the processes'. */
export function coresBetween(
  from: CpuReading,
  to: CpuReading,
): { machineBusyCores: number; processCores: number } {
  const seconds = Math.max(0.001, (to.at - from.at) / 1000);
  return {
    machineBusyCores: Math.max(0, (to.machineBusySeconds - from.machineBusySeconds) / seconds),
    processCores: Math.max(0, (to.processSeconds - from.processSeconds) / seconds),
  };
}
