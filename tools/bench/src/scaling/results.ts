// The settings and figures of the scaling bench, as written to .bench/scaling.json.
import type { ServiceName } from '@genstream/launcher';
import type { MachineLoad } from '../machine.js';
import type { Spread } from '../stats.js';

/** The four writers, each consuming genstream.content.generated in a consumer group of its own. */
export const WRITER_SERVICES = [
  'metadata-writer',
  'document-writer',
  'cache-updater',
  'embedding-indexer',
] as const satisfies readonly ServiceName[];
export type WriterService = (typeof WRITER_SERVICES)[number];

/** Instances per service of one end-to-end layout (the services not named run once). */
export type Replicas = Partial<Record<ServiceName, number>>;

/** One layout of the end-to-end runs: a name for tables, and the instances of each service. */
export interface Layout {
  readonly name: string;
  readonly replicas: Replicas;
  /** The services export every span to the stack's Jaeger (the layout spec's `tracing`). */
  readonly tracing?: boolean;
}

/** Machine CPU over a stretch of time: how many of its cores were busy, and the writer's share. */
export interface CpuUse {
  /** Busy cores of the whole machine (every process: servers, services, this bench), 0..cores. */
  readonly machineBusyCores: number;
  /** Cores the writer's instances used, together. */
  readonly writerCores: number;
}

/** One fresh consumer group of one writer with N instances draining the pre-filled topic. */
export interface ConsumeMeasurement {
  readonly writer: WriterService;
  readonly instances: number;
  readonly run: number;
  /** Records committed in the measured window / its length. */
  readonly recordsPerSecond: number;
  /** The window: from the group first being Stable with every instance a member, to the last commit (or maxWindowMs). */
  readonly windowMs: number;
  readonly recordsInWindow: number;
  /** Committed before the window (while instances were still joining): not counted. */
  readonly committedBeforeWindow: number;
  /** False when the group never was Stable with every instance before it was done (see window.ts). */
  readonly steady: boolean;
  /** Spawn to every instance answering /health, ms. */
  readonly startMs: number;
  /**
   * Where a drain's time went, ms: prepare (fresh group, empty store, the gate), start (spawn to
   * healthy), join (every instance a member), rebalance (the gate left to the group Stable), drain
   * (the window), stop (metrics, SIGTERM, the store counted).
   */
  readonly phasesMs: Readonly<Record<'prepare' | 'start' | 'join' | 'rebalance' | 'drain' | 'stop', number>>;
  /** Records each instance handled (its genstream_kafka_consumer_records_handled_total). */
  readonly handledPerInstance: readonly number[];
  /** Committed by the group once its instances stopped, and what the store then holds (at least as many). */
  readonly committedAfterStop: number;
  readonly stored: number;
  readonly cpu: CpuUse;
}

export interface WriterScaling {
  readonly writer: WriterService;
  readonly store: string;
  /** records/s of each instance count, median of the runs. */
  readonly byInstances: readonly {
    readonly instances: number;
    readonly recordsPerSecond: Spread;
    /** recordsPerSecond / instances. */
    readonly perInstance: number;
    readonly machineBusyCores: number;
    readonly writerCores: number;
  }[];
  /** records/s with the most instances / with one: the speed-up. */
  readonly ratio: number;
  /** The same ratio run by run (each run measures every count back to back). */
  readonly runRatios: readonly number[];
  /** ratio / instances: 1 = linear. */
  readonly efficiency: number;
  /** Records per second per core the writer's own processes used, with one instance. */
  readonly recordsPerWriterCore: number;
  /** One instance's rate times min(instances, partitions): what free cores would give. */
  readonly predictedAtPartitions: number;
}

export interface LayoutRun {
  readonly layout: string;
  readonly round: number;
  readonly run: number;
  readonly eventsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly durationMs: number;
  readonly cpu: { readonly machineBusyCores: number };
}

export interface LayoutResult {
  readonly layout: string;
  readonly replicas: Replicas;
  /** Processes of the five services in this layout. */
  readonly processes: number;
  readonly eventsPerSecond: Spread;
  readonly latencyP50Ms: Spread;
  readonly latencyP99Ms: Spread;
  /** events/s against the first layout (every service once). */
  readonly ratio: number;
  readonly machineBusyCores: number;
}

export interface ScalingResult {
  readonly part: 'scaling';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly settings: ScalingSettings;
  readonly machine: MachineLoad & { readonly cpu: string; readonly cores: number };
  readonly partitions: number;
  readonly writers: readonly WriterScaling[];
  readonly writerRuns: readonly ConsumeMeasurement[];
  /** The writer with the lowest one-instance rate. */
  readonly slowestWriter: WriterService | undefined;
  readonly layouts: readonly LayoutResult[];
  readonly layoutRuns: readonly LayoutRun[];
  /** The layout with the highest median events/s. */
  readonly bestLayout: string | undefined;
  /** What 2 cores allow and what the figures predict, in plain words. */
  readonly conclusions: readonly string[];
  /** SVG charts written next to the JSON (absolute paths). */
  readonly charts: readonly string[];
}

export interface ScalingSettings {
  /** Records pre-filled on the topic, drained by each measurement. */
  readonly records: number;
  /** A drain's window closes after this long even if the backlog lasts longer. */
  readonly maxWindowMs: number;
  /** The instance counts compared, e.g. [1, 3]. */
  readonly instances: readonly number[];
  /** Runs of every instance count per writer, alternating which goes first. */
  readonly runs: number;
  readonly writers: readonly WriterService[];
  /** End-to-end: requests per run, runs per layout and round, rounds (layouts in turn). */
  readonly requests: number;
  readonly layoutRuns: number;
  readonly rounds: number;
  readonly concurrency: number;
  readonly warmupRequests: number;
  /** Layout specs as given (`writers=2`, `slowest=3`, ...); every service once always comes first. */
  readonly layoutSpecs: readonly string[];
  readonly pollMs: number;
  readonly seed: number;
}
