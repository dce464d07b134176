import type { Say } from '../runner/progress.js';
import { nonNegative, positive } from '../settings.js';
import type { ThroughputResult } from './results.js';

export interface ThroughputOptions {
  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL, REDIS_URL of the running stack (the bench runner's). */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** Servers the bench runner started, for the record. */
  readonly startedServers?: readonly string[];
  /** Requests per run (N); default 2000. */
  readonly requests?: number;
  /** Runs of each system (R), alternating; default 5. */
  readonly runs?: number;
  /** Requests in flight at the front of each system (C); default 16. */
  readonly concurrency?: number;
  /** Requests of the uncounted warm-up run of each system; default 200, 0 for none. */
  readonly warmupRequests?: number;
  /** Pause between two checks of a store by the poller; default 25 ms. */
  readonly pollMs?: number;
  /** Interval of the resident-memory samples; default 200 ms. */
  readonly sampleMs?: number;
  /** Longest wait for one run's requests to be everywhere; default 120 s. */
  readonly runTimeoutMs?: number;
  /** The environment the services are configured from; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (default: none). */
  readonly say?: Say;
  /** Aborting stops the benchmark; what it started and wrote is still removed. */
  readonly signal?: AbortSignal;
}

export const THROUGHPUT_DEFAULTS = {
  requests: 2000,
  runs: 5,
  concurrency: 16,
  warmupRequests: 200,
  pollMs: 25,
  sampleMs: 200,
  runTimeoutMs: 120_000,
} as const;

export type ThroughputSettings = ThroughputResult['settings'];

/** The options with their defaults, each checked. */
export function throughputSettings(options: ThroughputOptions): ThroughputSettings {
  const d = THROUGHPUT_DEFAULTS;
  return {
    requests: positive('requests', options.requests ?? d.requests),
    runs: positive('runs', options.runs ?? d.runs),
    concurrency: positive('concurrency', options.concurrency ?? d.concurrency),
    warmupRequests: nonNegative('warmupRequests', options.warmupRequests ?? d.warmupRequests),
    pollMs: nonNegative('pollMs', options.pollMs ?? d.pollMs),
    sampleMs: positive('sampleMs', options.sampleMs ?? d.sampleMs),
  };
}
