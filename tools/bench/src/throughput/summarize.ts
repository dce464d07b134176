// The runs of both systems summarized: medians with spreads, ratios, memory per process.
import { spreadOf, type Spread } from '../stats.js';
import { definitionsFor } from './definitions.js';
import type { ThroughputSettings } from './options.js';
import type {
  Percentiles,
  ResourceRow,
  RunMeasurement,
  SystemName,
  SystemSummary,
  ThroughputResult,
} from './results.js';
import { recordOf } from './store-poller.js';

export interface SummarizeInput {
  readonly startedAt: string;
  readonly settings: ThroughputSettings;
  readonly measured: readonly RunMeasurement[];
  /** Resident memory per process before the first measured run. */
  readonly idle: ReadonlyMap<string, number>;
  readonly startedServers: readonly string[];
}

export function summarize(input: SummarizeInput): ThroughputResult {
  const { measured } = input;
  const of = (system: SystemName) => measured.filter((run) => run.system === system);
  const summary = (runs: readonly RunMeasurement[]): SystemSummary => ({
    eventsPerSecond: spreadOf(runs.map((run) => run.eventsPerSecond)),
    latencyMs: percentileSpreads(runs.map((run) => run.latencyMs)),
    latencyFromBurstMs: percentileSpreads(runs.map((run) => run.latencyFromBurstMs)),
    storeP50Ms: recordOf((store) => spreadOf(runs.map((run) => run.storeP50Ms[store]))),
    pollIntervalMs: recordOf((store) => spreadOf(runs.map((run) => run.pollIntervalMs[store]))),
  });
  const genstream = summary(of('genstream'));
  const baseline = summary(of('baseline'));
  const ratio = (a: Spread, b: Spread) => a.median / b.median;
  const pairRatios = of('genstream').map((run) => {
    const partner = of('baseline').find((other) => other.run === run.run)!;
    return run.eventsPerSecond / partner.eventsPerSecond;
  });
  const processNames = [...new Set(measured.flatMap((run) => Object.keys(run.peakRssBytes)))];
  const resources = processNames.map((name): ResourceRow => {
    const peaks = measured.flatMap((run) => run.peakRssBytes[name] ?? []);
    return {
      process: name,
      idleRssBytes: input.idle.get(name) ?? 0,
      peakRssBytes: spreadOf(peaks),
      maxRssBytes: Math.max(...peaks),
    };
  });
  return {
    benchmark: 'throughput',
    startedAt: input.startedAt,
    settings: input.settings,
    definitions: definitionsFor(input.settings.concurrency, input.settings.sampleMs),
    runs: measured,
    genstream,
    baseline,
    genstreamStages: {
      publishAckP50Ms: spreadOf(of('genstream').map((run) => run.publishAckP50Ms ?? 0)),
      generatedP50Ms: spreadOf(of('genstream').map((run) => run.generatedP50Ms ?? 0)),
    },
    baselineHandlerP50Ms: spreadOf(of('baseline').map((run) => run.handlerLatencyMs?.p50 ?? 0)),
    ratios: {
      eventsPerSecond: ratio(genstream.eventsPerSecond, baseline.eventsPerSecond),
      latencyP50: ratio(genstream.latencyMs.p50, baseline.latencyMs.p50),
      latencyP99: ratio(genstream.latencyMs.p99, baseline.latencyMs.p99),
      latencyFromBurstP50: ratio(genstream.latencyFromBurstMs.p50, baseline.latencyFromBurstMs.p50),
      latencyFromBurstP99: ratio(genstream.latencyFromBurstMs.p99, baseline.latencyFromBurstMs.p99),
    },
    pairRatios,
    resources,
    startedServers: input.startedServers,
  };
}

function percentileSpreads(values: readonly Percentiles[]): Record<keyof Percentiles, Spread> {
  return {
    p50: spreadOf(values.map((value) => value.p50)),
    p95: spreadOf(values.map((value) => value.p95)),
    p99: spreadOf(values.map((value) => value.p99)),
  };
}
