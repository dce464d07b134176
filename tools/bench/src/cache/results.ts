// The settings and figures of the cache bench, as written to .bench/cache-<timestamp>.json.
import type { Say } from '../runner/progress.js';
import type { Spread } from '../stats.js';

export const CACHE_HITS_METRIC = 'genstream_generation_cache_hits_total';

export interface CacheBenchOptions {
  /** Simulated model latencies, one pass each with the generation service restarted (default 500, 2000 ms). */
  readonly latenciesMs?: readonly number[];
  /** Distinct prompts per latency, each sent as a miss and then as a hit (default 20). */
  readonly prompts?: number;
  /** Unmeasured pairs first, after each (re)start of the generation service (default 1). */
  readonly warmup?: number;
  /** How often the client polls GET /v1/generations/{id} (default 5 ms). */
  readonly pollMs?: number;
  /** Pause between one request being done and the next being sent (default 100 ms). */
  readonly pauseMs?: number;
  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL, REDIS_URL of the running stack (the bench runner's). */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** The environment the services are started with (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (default: none). */
  readonly say?: Say;
  /** Aborting stops the benchmark between two requests; the services are still stopped and the data removed. */
  readonly signal?: AbortSignal;
}

/** Client-seen latencies of one kind of request (miss or hit) at one simulated model latency. */
export interface ClientLatencyFigures {
  readonly samplesMs: readonly number[];
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  /** The median over the samples with their min..max spread (its median is p50Ms). */
  readonly spread: Spread;
}

export interface CacheLatencyResult {
  readonly simulatedLatencyMs: number;
  readonly prompts: number;
  /** First requests: answered by a model call (cacheHit NONE). */
  readonly miss: ClientLatencyFigures;
  /** Repeats (same prompt, model and user, new requestId): answered from the response cache (EXACT). */
  readonly hit: ClientLatencyFigures;
  /** 1 - hit/miss at p50 and at p99 (0.9 = the hit takes 90 % less time). */
  readonly reductionP50: number;
  readonly reductionP99: number;
  /** 1 - hit/miss of each prompt's pair: its median with spread. */
  readonly pairReduction: Spread;
  /** hit p50 / miss p50 and hit p99 / miss p99. */
  readonly ratioP50: number;
  readonly ratioP99: number;
  /** What the generation service counted while the measured requests ran (the check). */
  readonly counted: {
    readonly modelCallsDuringMisses: number;
    readonly modelCallsDuringHits: number;
    readonly responseCacheHitsDuringHits: number;
  };
  /** Median duration of one status GET: with the poll interval, the resolution of each sample. */
  readonly statusGetMs: number;
  /** Time the generation service took to become healthy after its (re)start. */
  readonly generationReadyMs: number;
}

export interface CacheBenchResult {
  readonly part: 'cache';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly settings: {
    readonly latenciesMs: readonly number[];
    readonly prompts: number;
    readonly warmup: number;
    readonly pollMs: number;
    readonly pauseMs: number;
    readonly model: 'local';
  };
  readonly latencies: readonly CacheLatencyResult[];
  /** The reduction the seed claims for cache hits (70 %), for comparison. */
  readonly claimedReduction: number;
}
