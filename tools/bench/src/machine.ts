// The machine the figures were measured on: other load on it (a shared 2-core box) widens spreads.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineLoad {
  readonly cpus: number;
  /** os.loadavg() (1, 5, 15 minutes) when the benchmark started and when it ended. */
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
}

/** The load now, against the load a benchmark saw when it started. */
export function machineLoad(loadAverageAtStart: readonly number[]): MachineLoad {
  return { cpus: availableParallelism(), loadAverageAtStart, loadAverageAtEnd: loadavg() };
}

/** "2 CPUs; load average (1/5/15 min) 0.3 / 0.4 / 0.5 at the start, ... at the end." */
export function describeMachineLoad(machine: MachineLoad): string {
  const load = (values: readonly number[]) => values.map((value) => value.toFixed(1)).join(' / ');
  return (
    `${machine.cpus} CPUs; load average (1/5/15 min) ${load(machine.loadAverageAtStart)} at the start, ` +
    `${load(machine.loadAverageAtEnd)} at the end.`
  );
}

/** The processor, cores, memory, OS and Node version. */
export function machine(): Record<string, string | number> {
  const cpuList = cpus();
  let os = `Linux ${release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty) os = `${pretty[1]}, kernel ${release()}`;
  } catch {
    // not Linux, or no os-release: the kernel release alone
  }
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os,
  };
}
