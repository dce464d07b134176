import type { Say } from '../runner/progress.js';
import { nonNegative, positive } from '../settings.js';
import { WRITER_SERVICES, type ScalingSettings, type WriterService } from './results.js';

export interface ScalingOptions {
  /** KAFKA_BROKERS, DATABASE_URL, MONGO_URL, REDIS_URL of the running stack (the bench runner's). */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** The environment the services are started with (default process.env); its port offset applies. */
  readonly env?: NodeJS.ProcessEnv;
  /** Records pre-filled on the topic (default 30,000). */
  readonly records?: number;
  /** Longest window of one drain, in seconds (default 10): a slow writer drains part of the backlog. */
  readonly windowSeconds?: number;
  /** Instance counts compared per writer (default 1 and 3). */
  readonly instances?: readonly number[];
  /** Runs of each count per writer (default 2). */
  readonly runs?: number;
  readonly writers?: readonly WriterService[];
  /** End-to-end requests per run (default 2,000), runs per layout (2), rounds of all layouts (1). */
  readonly requests?: number;
  readonly layoutRuns?: number;
  readonly rounds?: number;
  readonly concurrency?: number;
  readonly warmupRequests?: number;
  /** Layouts besides every service once: `writers=2`, `slowest=3`, `generation=2,metadata-writer=3`. */
  readonly layouts?: readonly string[];
  /** Where layouts with `tracing` export their spans (the stack's Jaeger, started by the command). */
  readonly tracingEndpoint?: string;
  /** Skip one half: the writers' 1 vs N instances, or the end-to-end layouts. */
  readonly skipWriters?: boolean;
  readonly skipLayouts?: boolean;
  /** Where the SVG charts go (default: next to .bench/scaling.json). */
  readonly chartPrefix?: string;
  readonly seed?: number;
  readonly say?: Say;
  readonly signal?: AbortSignal;
}

export const SCALING_DEFAULTS = {
  records: 30_000,
  windowSeconds: 10,
  instances: [1, 3],
  runs: 2,
  requests: 2_000,
  layoutRuns: 2,
  rounds: 1,
  concurrency: 16,
  warmupRequests: 200,
  layouts: ['writers=2', 'slowest=3', 'generation=2,slowest=2'],
  pollMs: 100,
  seed: 7,
} as const;

/** The options with their defaults, each checked. */
export function scalingSettings(options: ScalingOptions): ScalingSettings {
  const d = SCALING_DEFAULTS;
  const instances = [...new Set(options.instances ?? d.instances)].sort((a, b) => a - b);
  instances.forEach((count) => positive('instances', count));
  if (instances.length < 2 || instances[0] !== 1) {
    throw new RangeError(`instances must start at 1 and name another count, got ${instances.join(',')}`);
  }
  return {
    records: positive('records', options.records ?? d.records),
    maxWindowMs: 1_000 * positive('windowSeconds', options.windowSeconds ?? d.windowSeconds),
    instances,
    runs: positive('runs', options.runs ?? d.runs),
    writers: options.writers ?? WRITER_SERVICES,
    requests: positive('requests', options.requests ?? d.requests),
    layoutRuns: positive('layoutRuns', options.layoutRuns ?? d.layoutRuns),
    rounds: positive('rounds', options.rounds ?? d.rounds),
    concurrency: positive('concurrency', options.concurrency ?? d.concurrency),
    warmupRequests: nonNegative('warmupRequests', options.warmupRequests ?? d.warmupRequests),
    layoutSpecs: options.layouts ?? d.layouts,
    pollMs: positive('pollMs', d.pollMs),
    seed: options.seed ?? d.seed,
  };
}
