import { spawn } from 'node:child_process';
import {
  openSync,
  closeSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  rmSync,
  existsSync,
  readdirSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What we remember about a server process we started. The kernel's start time guards against
 * pid reuse: `down` must never signal a process that merely inherited the number.
 */
export interface PidRecord {
  readonly pid: number;
  readonly startTicks: number;
  readonly command: string;
  /** Where its output goes, to show its last lines when it dies. */
  readonly logFile?: string;
}

export interface DetachedOptions {
  readonly logFile: string;
  /** Where the pid record is written; a server of several processes writes its records itself. */
  readonly pidFile?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Run as another user (PostgreSQL refuses to run as root). */
  readonly uid?: number;
  readonly gid?: number;
}

/** Starts a server in its own session, output appended to its log, and records its pid. */
export function spawnDetached(command: string, args: readonly string[], options: DetachedOptions): PidRecord {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', log, log],
      uid: options.uid,
      gid: options.gid,
    });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    const record: PidRecord = {
      pid: child.pid,
      startTicks: startTicksOf(child.pid) ?? 0,
      command,
      logFile: options.logFile,
    };
    if (options.pidFile) writePidRecords(options.pidFile, [record]);
    return record;
  } finally {
    closeSync(log);
  }
}

/** A record of this very process, e.g. to say who holds a lock. */
export function ownPidRecord(command: string): PidRecord {
  return { pid: process.pid, startTicks: startTicksOf(process.pid) ?? 0, command };
}

export function readPidRecord(pidFile: string): PidRecord | undefined {
  return readPidRecords(pidFile)[0];
}

/**
 * The records of a server's processes: one for most servers, one per node for a Kafka cluster. A
 * file holds one record or an array of them.
 */
export function readPidRecords(pidFile: string): PidRecord[] {
  if (!existsSync(pidFile)) return [];
  try {
    const parsed = JSON.parse(readFileSync(pidFile, 'utf8')) as PidRecord | PidRecord[];
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

export function writePidRecords(pidFile: string, records: readonly PidRecord[]): void {
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, JSON.stringify(records.length === 1 ? records[0] : records));
}

export function forgetPid(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

/** True while the recorded process (and not a later one with its pid) is alive. */
export function isAlive(record: PidRecord): boolean {
  const ticks = startTicksOf(record.pid);
  return (
    ticks !== undefined && (record.startTicks === 0 || ticks === record.startTicks) && !isZombie(record.pid)
  );
}

/** Sends `signal`, waits up to `graceMs` for the process to exit, then kills it. */
export async function stopProcess(
  record: PidRecord,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<'stopped' | 'killed'> {
  if (!isAlive(record)) return 'stopped';
  process.kill(record.pid, signal);
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(record)) return 'stopped';
    await sleep(100);
  }
  process.kill(-record.pid, 'SIGKILL');
  while (isAlive(record)) await sleep(50);
  return 'killed';
}

/** Resident memory of a process and all its descendants, in bytes (PostgreSQL runs one process per backend). */
export function residentBytesOfTree(rootPid: number): number {
  const tree = processTrees([rootPid]).get(rootPid) ?? [];
  return tree.reduce((total, pid) => total + residentBytes(pid), 0);
}

/** Each root pid with all its descendants (itself first), from one read of the parent pids in /proc. */
export function processTrees(rootPids: readonly number[]): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    const parent = Number(stat[1]);
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const trees = new Map<number, number[]>();
  for (const rootPid of rootPids) {
    const tree: number[] = [];
    const pending = [rootPid];
    while (pending.length > 0) {
      const pid = pending.pop()!;
      tree.push(pid);
      pending.push(...(children.get(pid) ?? []));
    }
    trees.set(rootPid, tree);
  }
  return trees;
}

/** Resident memory of one process, in bytes; 0 once it has exited. */
export function residentBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Fields of /proc/PID/stat after the command name: [state, ppid, ...]. */
function readStat(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function startTicksOf(pid: number): number | undefined {
  const fields = readStat(pid);
  return fields ? Number(fields[19]) : undefined;
}

function isZombie(pid: number): boolean {
  return readStat(pid)?.[0] === 'Z';
}
