// The figures of the writers bench, as written to .bench/writers.json, and what one writer under
// test offers the measurement.
import type { MachineLoad } from '../machine.js';
import type { Say } from '../runner/progress.js';
import type { Spread } from '../stats.js';

export const WRITER_NAMES = ['postgres', 'mongo', 'redis', 'vectors'] as const;
export type WriterName = (typeof WRITER_NAMES)[number];

export interface WritersOptions {
  readonly databaseUrl: string;
  readonly mongoUrl: string;
  readonly redisUrl: string;
  /** Events written per run and path; default 5,000. */
  readonly events?: number;
  /** Records per repository call on the batched path; default 500 (the Kafka runtime's maxBatchRecords). */
  readonly batchSize?: number;
  /** Measured runs of each path; default 3. */
  readonly runs?: number;
  /** Default: all four. */
  readonly writers?: readonly WriterName[];
  /** Seed of the synthetic content; default 1. */
  readonly seed?: number;
  readonly say?: Say;
  /** Stops between repository calls; the isolated stores are still removed. */
  readonly signal?: AbortSignal;
}

export interface PathResult {
  /** Records per second, median of the runs with their spread. */
  readonly recordsPerSecond: Spread;
  /** Each run's records/s, in run order. */
  readonly samples: readonly number[];
  /** Repository calls per run. */
  readonly calls: number;
}

export interface WriterResult {
  readonly writer: WriterName;
  /** The service and the repository method measured. */
  readonly service: string;
  readonly method: string;
  readonly store: string;
  /** What one repository call sends to the store. */
  readonly roundTrip: string;
  readonly batched: PathResult;
  readonly perRecord: PathResult;
  /** Median batched records/s ÷ median per-record records/s. */
  readonly ratio: number;
  /** The same ratio run by run (each run measures both paths back to back). */
  readonly runRatios: Spread;
}

export interface WritersResult {
  readonly part: 'writers';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly settings: {
    readonly events: number;
    readonly batchSize: number;
    readonly runs: number;
    readonly warmupEvents: number;
    readonly seed: number;
    readonly isolation: string;
    readonly order: string;
  };
  readonly writers: readonly WriterResult[];
  /** The machine: other load on it (a shared 2-core box) widens the spreads. */
  readonly machine: MachineLoad;
}

/** One writer under test: its repository, an empty store before each measurement, removal at the end. */
export interface WriterTarget<Item> {
  readonly name: WriterName;
  readonly service: string;
  readonly method: string;
  readonly store: string;
  readonly roundTrip: (records: number) => string;
  /** The events as the repository takes them (embedded once, up front, for the vector index). */
  readonly items: readonly Item[];
  /** Calls the repository once; returns how many records it stored. */
  write(items: readonly Item[]): Promise<number>;
  /** Empties the isolated store (not timed). */
  reset(): Promise<void>;
  /** Removes the isolated store. */
  remove(): Promise<void>;
}
