// Resident memory from /proc: each service's process tree, and the bench process itself.
import type { RunningServices } from '@genstream/launcher';
import { processTrees, residentBytes } from '@genstream/stack';
import type { SystemName } from './results.js';

export interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
  /** Count its descendants too (not for the bench process: the services are its children). */
  readonly tree: boolean;
}

export function processesOf(services: RunningServices): WatchedProcess[] {
  return services.services.map((service) => ({ name: service.name, pid: service.pid, tree: true }));
}

export function benchProcessLabel(system: SystemName): string {
  return system === 'genstream'
    ? 'bench process in genstream runs (publisher + poller)'
    : 'bench process in baseline runs (the handler + poller)';
}

/** The bench process itself (publisher or baseline handler, plus the poller), in one system's runs. */
export function benchProcess(system: SystemName): WatchedProcess {
  return { name: benchProcessLabel(system), pid: process.pid, tree: false };
}

/** Samples VmRSS of each process and its descendants every `everyMs`; keeps the peak of each. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly peaks = new Map<string, number>();

  constructor(
    private readonly processes: readonly WatchedProcess[],
    private readonly everyMs: number,
  ) {}

  start(): void {
    let trees = descendants(this.processes);
    let samples = 0;
    const sample = () => {
      // Services start no children in practice; the tree is re-read now and then all the same.
      if (++samples % 10 === 0) trees = descendants(this.processes);
      for (const watched of this.processes) {
        const bytes = (trees.get(watched.pid) ?? [watched.pid]).reduce(
          (sum, pid) => sum + residentBytes(pid),
          0,
        );
        this.peaks.set(watched.name, Math.max(this.peaks.get(watched.name) ?? 0, bytes));
      }
    };
    sample();
    this.timer = setInterval(sample, this.everyMs);
  }

  stop(): ReadonlyMap<string, number> {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.peaks;
  }
}

/** Each watched pid with the pids whose memory counts for it: its tree, or itself alone. */
function descendants(processes: readonly WatchedProcess[]): Map<number, number[]> {
  const trees = processTrees(processes.filter(({ tree }) => tree).map(({ pid }) => pid));
  return new Map(processes.map(({ pid, tree }) => [pid, tree ? trees.get(pid)! : [pid]]));
}

/** Resident memory of each process (with its descendants where asked) now. */
export function sampleRss(processes: readonly WatchedProcess[]): Map<string, number> {
  const trees = descendants(processes);
  return new Map(
    processes.map(({ name, pid }) => [
      name,
      trees.get(pid)!.reduce((sum, one) => sum + residentBytes(one), 0),
    ]),
  );
}
