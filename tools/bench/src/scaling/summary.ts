// The scaling figures from the runs: per writer the rate of each instance count, the speed-up and
// what free cores would give; per layout its events/s against every service once.
import { spreadOf } from '../stats.js';
import type {
  ConsumeMeasurement,
  Layout,
  LayoutResult,
  LayoutRun,
  WriterScaling,
  WriterService,
} from './results.js';
import { processCount } from './layouts.js';

const median = (values: readonly number[]) => (values.length === 0 ? 0 : spreadOf(values).median);

export function summarizeWriter(
  writer: WriterService,
  store: string,
  measurements: readonly ConsumeMeasurement[],
  partitions: number,
): WriterScaling {
  const own = measurements.filter((m) => m.writer === writer);
  const counts = [...new Set(own.map((m) => m.instances))].sort((a, b) => a - b);
  if (counts[0] !== 1 || counts.length < 2) {
    throw new Error(`${writer}: needs runs with 1 instance and with more (got ${counts.join(', ')})`);
  }
  const byInstances = counts.map((instances) => {
    const runs = own.filter((m) => m.instances === instances);
    const recordsPerSecond = spreadOf(runs.map((m) => m.recordsPerSecond));
    return {
      instances,
      recordsPerSecond,
      perInstance: recordsPerSecond.median / instances,
      machineBusyCores: median(runs.map((m) => m.cpu.machineBusyCores)),
      writerCores: median(runs.map((m) => m.cpu.writerCores)),
    };
  });
  const one = byInstances[0]!;
  const most = byInstances.at(-1)!;
  const ratio = most.recordsPerSecond.median / one.recordsPerSecond.median;
  const runRatios = own
    .filter((m) => m.instances === most.instances)
    .flatMap((m) => {
      const partner = own.find((o) => o.instances === 1 && o.run === m.run);
      return partner === undefined ? [] : [m.recordsPerSecond / partner.recordsPerSecond];
    });
  return {
    writer,
    store,
    byInstances,
    ratio,
    runRatios,
    efficiency: ratio / most.instances,
    recordsPerWriterCore: one.writerCores > 0 ? one.recordsPerSecond.median / one.writerCores : 0,
    predictedAtPartitions: predictedRate(one.recordsPerSecond.median, partitions, partitions),
  };
}

/**
 * What `instances` instances would drain with a free core each and a store that keeps up: one
 * instance's rate times the instances that get a partition (a group gives each partition to one
 * member, so members beyond the partitions idle).
 */
export function predictedRate(oneInstanceRate: number, instances: number, partitions: number): number {
  return oneInstanceRate * Math.min(instances, partitions);
}

/** The writer with the lowest one-instance rate: the first to scale out. */
export function slowestWriter(writers: readonly WriterScaling[]): WriterService | undefined {
  let slowest: WriterScaling | undefined;
  for (const writer of writers) {
    const rate = writer.byInstances[0]!.recordsPerSecond.median;
    if (slowest === undefined || rate < slowest.byInstances[0]!.recordsPerSecond.median) slowest = writer;
  }
  return slowest?.writer;
}

/** Each layout's runs summarized, its ratio against the first layout's (every service once). */
export function summarizeLayouts(layouts: readonly Layout[], runs: readonly LayoutRun[]): LayoutResult[] {
  const measured = layouts.filter((layout) => runs.some((run) => run.layout === layout.name));
  const summaries = measured.map((layout) => {
    const own = runs.filter((run) => run.layout === layout.name);
    return {
      layout: layout.name,
      replicas: layout.replicas,
      processes: processCount(layout.replicas),
      eventsPerSecond: spreadOf(own.map((run) => run.eventsPerSecond)),
      latencyP50Ms: spreadOf(own.map((run) => run.latencyP50Ms)),
      latencyP99Ms: spreadOf(own.map((run) => run.latencyP99Ms)),
      machineBusyCores: median(own.map((run) => run.cpu.machineBusyCores)),
    };
  });
  const baseline = summaries[0]?.eventsPerSecond.median ?? 0;
  return summaries.map((summary) => ({
    ...summary,
    ratio: baseline > 0 ? summary.eventsPerSecond.median / baseline : 0,
  }));
}

/** The layout with the highest median events/s. */
export function bestLayout(layouts: readonly LayoutResult[]): LayoutResult | undefined {
  return layouts.reduce<LayoutResult | undefined>(
    (best, layout) =>
      best === undefined || layout.eventsPerSecond.median > best.eventsPerSecond.median ? layout : best,
    undefined,
  );
}
