// The settings and figures of the vectors bench, as written to .bench/vectors.json.
import type { MachineLoad } from '../machine.js';
import type { Say } from '../runner/progress.js';
import type { Spread } from '../stats.js';

export interface VectorsOptions {
  readonly redisUrl: string;
  /** Vectors in the set; default 100,000. */
  readonly vectors?: number;
  /** Queries, half perturbed copies of stored vectors, half fresh texts; default 200. */
  readonly queries?: number;
  /** Results per query (COUNT); default 10. */
  readonly k?: number;
  /** VADDs per pipeline; default 1,000. */
  readonly pipeline?: number;
  /** Full builds of the set (each from empty); default 1 (a 100k build takes about 2 minutes here). */
  readonly builds?: number;
  /** Passes over the queries (each: every query approximate, then every query TRUTH); default 3. */
  readonly passes?: number;
  /** VSIM EF (search exploration factor); default: the server's. */
  readonly ef?: number;
  /** Also rank every query exactly in FP32 here (recall including Q8 quantization); default true. */
  readonly exactCheck?: boolean;
  /** Seed of the synthetic texts and of the query noise; default 1. */
  readonly seed?: number;
  readonly say?: Say;
  /** Stops between pipelines and queries; the set is still deleted. */
  readonly signal?: AbortSignal;
}

export interface LatencyFigures {
  /** Median over the passes of each pass's p50, in milliseconds, with the spread across passes. */
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  /** Queries per second with one in flight, per pass. */
  readonly queriesPerSecond: Spread;
}

export interface RecallFigures {
  /** Mean over the queries of |approximate top k ∩ reference top k| / k. */
  readonly all: number;
  readonly perturbed: number;
  readonly fresh: number;
}

export interface VectorsResult {
  readonly part: 'vectors';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly settings: {
    readonly vectors: number;
    readonly dimension: number;
    readonly quantization: 'Q8';
    readonly attributes: string;
    readonly queries: number;
    readonly perturbedQueries: number;
    readonly freshQueries: number;
    readonly k: number;
    readonly pipeline: number;
    readonly builds: number;
    readonly passes: number;
    readonly ef: number | 'server default';
    readonly seed: number;
    readonly vectorSource: string;
  };
  /** Embedding the texts in Node before any VADD (not part of VADD/s). */
  readonly embedding: { readonly texts: number; readonly seconds: number; readonly textsPerSecond: number };
  readonly vadd: {
    /** Whole builds: N / seconds, median over the builds (a single build: spread 0). */
    readonly perSecond: Spread;
    /** Rates of the tenths of each build, in order: how insertion slows as the graph grows. */
    readonly segmentRates: readonly number[];
    /** The tenths' rates summarized (one build's segments, not independent runs). */
    readonly segmentSpread: Spread;
  };
  readonly memory: {
    /** MEMORY USAGE of the set. */
    readonly memoryUsageBytes: number | null;
    /** INFO used_memory after the build minus before it. */
    readonly usedMemoryDeltaBytes: number;
    readonly bytesPerVector: number;
  };
  readonly vsim: LatencyFigures;
  readonly truth: LatencyFigures;
  /** TRUTH p50 / VSIM p50: how many times longer the exact scan takes. */
  readonly truthOverVsimP50: number;
  readonly recall: {
    /** HNSW vs the server's exact scan of the same Q8 vectors: the graph's loss alone. */
    readonly vsimVsTruth: RecallFigures;
    /** The same, counting a result tied with TRUTH's k-th score as found. */
    readonly vsimVsTruthTieAware: RecallFigures;
    /** HNSW vs an exact FP32 scan in Node: the graph's and the quantization's loss together. */
    readonly vsimVsExactFp32: RecallFigures | null;
    /** TRUTH vs the exact FP32 scan: Q8 quantization's loss alone. */
    readonly truthVsExactFp32: RecallFigures | null;
  };
  /** Forks (BGSAVE snapshots) Redis started while measuring: each competes for the 2 cores. */
  readonly redisForksDuringRun: number;
  /**
   * CPU seconds the Redis server used (all its threads, INFO cpu) while building the last set,
   * against the build's wall seconds: well below 1 means Redis waited for the client or for a core
   * (other load on the machine), so VADD/s then measures the machine more than the store.
   */
  readonly redisCpuDuringBuild: { readonly cpuSeconds: number; readonly wallSeconds: number };
  readonly redisVersion: string;
  /** The machine: other load on it (a shared 2-core box) widens the spreads. */
  readonly machine: MachineLoad;
}

/** LocalHashedEmbedder's default, the embedding-indexer's LOCAL_EMBEDDING_DIMENSION. */
export const DIMENSION = 256;

export type Scored = [name: string, score: number];

export type QueryKind = 'perturbed' | 'fresh';
