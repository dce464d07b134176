// The effect of the exact response cache on the latency a client sees. For each simulated model
// latency L (the built-in `local` provider with LLM_LOCAL_LATENCY_MS=L), K distinct prompts, each
// sent twice through the HTTP API: first a model call (cacheHit NONE), then, once the first is done
// and its cache entry is written, the same prompt, model and user under a new requestId (cacheHit
// EXACT). Client-seen latency: POST /v1/generations until GET /v1/generations/{id} first answers
// `done`, polled every few milliseconds.
import { randomBytes } from 'node:crypto';
import {
  GenstreamClient,
  SERVICE_NAMES,
  StoreReader,
  portOffsetFromEnv,
  startServices,
  type StoreUrls,
} from '@genstream/launcher';
import { deletePrefixedTopics } from '../kafka-cleanup.js';
import { Pass, type PassSettings } from './pass.js';
import { MODEL, type SentRequest } from './prompts.js';
import type { CacheBenchOptions, CacheBenchResult, CacheLatencyResult } from './results.js';
import { SpawnGuard } from './spawn-guard.js';

const CLAIMED_REDUCTION = 0.7;

/** The services this part needs besides generation (all of them run, as in production). */
const OTHERS = SERVICE_NAMES.filter((name) => name !== 'generation');

/**
 * Runs the cache benchmark on the runner's stack: starts the four downstream services once and the
 * generation service once per simulated latency, and stops every service it started before
 * returning. Throws when a repeat was not EXACT, a first request not NONE, or the model-call
 * counter grew during the repeats.
 */
export async function benchCache(options: CacheBenchOptions): Promise<CacheBenchResult> {
  const latenciesMs = options.latenciesMs ?? [500, 2_000];
  const prompts = options.prompts ?? 20;
  const warmup = options.warmup ?? 1;
  const settings: PassSettings = {
    pollMs: options.pollMs ?? 5,
    pauseMs: options.pauseMs ?? 100,
    say: options.say ?? (() => {}),
    signal: options.signal ?? new AbortController().signal,
  };
  if (latenciesMs.length === 0 || latenciesMs.some((l) => !Number.isInteger(l) || l < 0)) {
    throw new RangeError(`latenciesMs must be non-negative integers, got ${latenciesMs.join(', ')}`);
  }
  if (!Number.isInteger(prompts) || prompts < 2) throw new RangeError('prompts must be an integer >= 2');

  const started = Date.now();
  const results: CacheLatencyResult[] = [];
  for await (const pass of passes(options, latenciesMs, settings)) {
    results.push(await pass.run(prompts, warmup));
  }
  const { pollMs, pauseMs } = settings;
  return {
    part: 'cache',
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    settings: { latenciesMs, prompts, warmup, pollMs, pauseMs, model: MODEL },
    latencies: results,
    claimedReduction: CLAIMED_REDUCTION,
  };
}

/**
 * One Pass per simulated latency, each with the generation service (re)started for it; the other
 * services run throughout. Everything is stopped and removed once the caller is done iterating.
 */
async function* passes(
  options: CacheBenchOptions,
  latenciesMs: readonly number[],
  settings: PassSettings,
): AsyncGenerator<{ run(prompts: number, warmup: number): Promise<CacheLatencyResult> }> {
  const { serverEnv } = options;
  const { say, signal } = settings;
  const env = options.env ?? process.env;
  const portOffset = portOffsetFromEnv(env);
  // Own topics and consumer groups: no backlog of earlier requests in front of the measured ones,
  // and a system started by `npm start` on other ports keeps its consumer offsets.
  const topicPrefix = `bench_cache_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}.`;
  const serviceEnv = { ...env, ...serverEnv, TOPIC_PREFIX: topicPrefix };
  const sent: SentRequest[] = [];
  await using guard = new SpawnGuard();
  const reader = await StoreReader.connect(serverEnv as unknown as StoreUrls);
  try {
    say(`starting ${OTHERS.join(', ')} on topics ${topicPrefix}*`);
    const others = await startServices({
      env: serviceEnv,
      portOffset,
      only: OTHERS,
      onSpawned: (service) => guard.spawned(service),
    });
    for (const latencyMs of latenciesMs) {
      signal.throwIfAborted();
      say(`starting generation with LLM_LOCAL_LATENCY_MS=${latencyMs}`);
      const generation = await startServices({
        env: { ...serviceEnv, LLM_LOCAL_LATENCY_MS: String(latencyMs) },
        portOffset,
        only: ['generation'],
        onSpawned: (service) => guard.spawned(service),
      });
      try {
        const client = new GenstreamClient(generation.url('generation'), others.url('embedding-indexer'), {
          apiKey: generation.apiKey,
        });
        const pass = new Pass(client, reader, latencyMs, settings, sent);
        const readyMs = generation.readyMs.get('generation') ?? Number.NaN;
        yield { run: (prompts, warmup) => pass.run(prompts, warmup, readyMs) };
      } finally {
        say('stopping generation');
        await generation.stop();
      }
    }
  } finally {
    // A benchmark leaves nothing behind: the services first (each finishes its batch in flight),
    // then what they wrote (rows, documents, statuses, cache entries, vectors), then its topics.
    say('stopping the services, removing what they wrote and the topics');
    await guard.stopAll();
    await reader.removeContent(sent).catch((error: Error) => say(`clean-up failed: ${error.message}`));
    await reader.close();
    await deletePrefixedTopics(serverEnv.KAFKA_BROKERS!, topicPrefix, 'bench-cache').catch((error: Error) =>
      say(`deleting the topics failed: ${error.message}`),
    );
  }
}
