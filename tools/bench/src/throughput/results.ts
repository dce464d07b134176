// The figures of the throughput bench, as written to .bench/throughput.json.
import type { StoreName } from '@genstream/launcher';
import type { Spread } from '../stats.js';

export type SystemName = 'genstream' | 'baseline';

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** One run of one system. Times in ms, memory in bytes. */
export interface RunMeasurement {
  readonly system: SystemName;
  /** 1..R. */
  readonly run: number;
  readonly requests: number;
  readonly concurrency: number;
  /** First request started to last request seen in its last store. */
  readonly durationMs: number;
  readonly eventsPerSecond: number;
  /** Per request: seen in its last store − started (genstream: publish began; baseline: handler began). */
  readonly latencyMs: Percentiles;
  /** Per request: seen in its last store − the burst was handed over (every queue counted). */
  readonly latencyFromBurstMs: Percentiles;
  /** Per store: seen there − started, median over the requests. */
  readonly storeP50Ms: Readonly<Record<StoreName, number>>;
  /** How many requests each store was the last to show. */
  readonly lastStore: Readonly<Record<StoreName, number>>;
  /** Mean time between two checks of a store by the poller: the resolution of its times. */
  readonly pollIntervalMs: Readonly<Record<StoreName, number>>;
  /** genstream: time until every publish was acknowledged by Kafka. */
  readonly publishMs?: number;
  /** genstream: publish began to Kafka acknowledged it, median over the requests. */
  readonly publishAckP50Ms?: number;
  /** genstream: publish began to its ContentGenerated read back from Kafka, median. */
  readonly generatedP50Ms?: number;
  /** baseline: handler start to its last write acknowledged, exact (no polling). */
  readonly handlerLatencyMs?: Percentiles;
  /** baseline: events/s from its own clock (last handler done), no polling. */
  readonly handlerEventsPerSecond?: number;
  /** Highest resident memory seen per process (services in genstream runs, the bench process always). */
  readonly peakRssBytes: Readonly<Record<string, number>>;
}

export interface SystemSummary {
  readonly eventsPerSecond: Spread;
  readonly latencyMs: Readonly<Record<keyof Percentiles, Spread>>;
  readonly latencyFromBurstMs: Readonly<Record<keyof Percentiles, Spread>>;
  readonly storeP50Ms: Readonly<Record<StoreName, Spread>>;
  readonly pollIntervalMs: Readonly<Record<StoreName, Spread>>;
}

export interface ResourceRow {
  /** A service name, or `bench process (...)`. */
  readonly process: string;
  /** Before the first measured run (after the warm-up). */
  readonly idleRssBytes: number;
  /** Per-run peaks summarized. */
  readonly peakRssBytes: Spread;
  /** The highest of them. */
  readonly maxRssBytes: number;
}

export interface ThroughputResult {
  readonly benchmark: 'throughput';
  readonly startedAt: string;
  readonly settings: {
    readonly requests: number;
    readonly runs: number;
    readonly concurrency: number;
    readonly warmupRequests: number;
    readonly pollMs: number;
    readonly sampleMs: number;
  };
  /** How "the same concurrency" is defined for the two systems, and what the baseline does. */
  readonly definitions: readonly string[];
  readonly runs: readonly RunMeasurement[];
  readonly genstream: SystemSummary;
  readonly baseline: SystemSummary;
  /** Where a genstream request's time goes before the stores (medians over the runs). */
  readonly genstreamStages: {
    /** Publish began to Kafka acknowledged it. */
    readonly publishAckP50Ms: Spread;
    /** Publish began to its ContentGenerated read back from Kafka (generation service done). */
    readonly generatedP50Ms: Spread;
  };
  /** The baseline handler's own latency (began to last write acknowledged, no polling). */
  readonly baselineHandlerP50Ms: Spread;
  /** genstream / baseline of the medians (above 1: genstream higher). */
  readonly ratios: {
    readonly eventsPerSecond: number;
    readonly latencyP50: number;
    readonly latencyP99: number;
    readonly latencyFromBurstP50: number;
    readonly latencyFromBurstP99: number;
  };
  /** genstream / baseline events/s of each pair of runs, to show how the ratio itself varies. */
  readonly pairRatios: readonly number[];
  readonly resources: readonly ResourceRow[];
  /** Servers the bench runner started for this run (and stops at the end unless --keep-stack). */
  readonly startedServers: readonly string[];
}
