// Part 3 of `npm run bench`: the effect of the exact response cache on the latency a client sees.
// For each simulated model latency L (the built-in `local` provider with LLM_LOCAL_LATENCY_MS=L),
// K distinct prompts, each sent twice through the HTTP API: first a model call (cacheHit NONE),
// then, once the first is done and its cache entry is written, the same prompt, model and user
// under a new requestId (cacheHit EXACT). Client-seen latency: POST /v1/generations until
// GET /v1/generations/{id} first answers `done`, polled every few milliseconds.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GenstreamClient,
  MODEL_CALLS_METRIC,
  SERVICE_NAMES,
  StoreReader,
  ensureStack,
  fetchMetrics,
  metricValue,
  portOffsetFromEnv,
  startServices,
  type GenerationStatus,
  type ServiceProcess,
  type StoreUrls,
} from '@genstream/launcher';
import { formatTable } from '@genstream/stack';
import { Kafka, logLevel } from 'kafkajs';
import { formatRatio, formatSpread, latencyPercentiles, spreadOf, type Spread } from './stats.js';

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
  /** The environment the stack and the services are started with (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (default: none). */
  readonly say?: (message: string) => void;
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

const CLAIMED_REDUCTION = 0.7;
const MODEL = 'local';
const DONE_TIMEOUT_MS = 60_000;

/** The services this part needs besides generation (all of them run, as in production). */
const OTHERS = SERVICE_NAMES.filter((name) => name !== 'generation');

/**
 * Runs the cache benchmark on real servers: brings the stack up (as `npm run stack:up`), starts the
 * four downstream services once and the generation service once per simulated latency, and stops
 * every service it started before returning (the stack keeps running). Throws when a repeat was not
 * EXACT, a first request not NONE, or the model-call counter grew during the repeats.
 */
export async function benchCache(options: CacheBenchOptions = {}): Promise<CacheBenchResult> {
  const latenciesMs = options.latenciesMs ?? [500, 2_000];
  const prompts = options.prompts ?? 20;
  const warmup = options.warmup ?? 1;
  const pollMs = options.pollMs ?? 5;
  const pauseMs = options.pauseMs ?? 100;
  const env = options.env ?? process.env;
  const say = options.say ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  if (latenciesMs.length === 0 || latenciesMs.some((l) => !Number.isInteger(l) || l < 0)) {
    throw new RangeError(`latenciesMs must be non-negative integers, got ${latenciesMs.join(', ')}`);
  }
  if (!Number.isInteger(prompts) || prompts < 2) throw new RangeError('prompts must be an integer >= 2');

  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  say('bringing up the stack (as npm run stack:up)');
  const stack = await ensureStack(env);
  const portOffset = portOffsetFromEnv(env);
  // Own topics and consumer groups: no backlog of earlier requests in front of the measured ones,
  // and a system started by `npm start` on other ports keeps its consumer offsets.
  const topicPrefix = `bench_cache_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}.`;
  const serviceEnv = { ...env, ...stack.serverEnv, TOPIC_PREFIX: topicPrefix };

  const results: CacheLatencyResult[] = [];
  const sent: SentRequest[] = [];
  await using guard = new SpawnGuard();
  const reader = await StoreReader.connect(stack.serverEnv as unknown as StoreUrls);
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
        const client = new GenstreamClient(generation.url('generation'), others.url('embedding-indexer'));
        const pass = new Pass(client, reader, latencyMs, { pollMs, pauseMs, say, signal }, sent);
        results.push(await pass.run(prompts, warmup, generation.readyMs.get('generation') ?? Number.NaN));
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
    await deleteTopics(stack.serverEnv.KAFKA_BROKERS!, topicPrefix).catch((error: Error) =>
      say(`deleting the topics failed: ${error.message}`),
    );
  }
  return {
    part: 'cache',
    startedAt,
    durationMs: Date.now() - started,
    settings: { latenciesMs, prompts, warmup, pollMs, pauseMs, model: MODEL },
    latencies: results,
    claimedReduction: CLAIMED_REDUCTION,
  };
}

interface SentRequest {
  readonly requestId: string;
  readonly userId: number;
  readonly prompt: string;
  readonly model: string;
}

interface Timed {
  readonly requestId: string;
  readonly ms: number;
  readonly status: GenerationStatus;
}

interface PassSettings {
  readonly signal: AbortSignal;
  readonly pollMs: number;
  readonly pauseMs: number;
  readonly say: (message: string) => void;
}

/** One simulated latency: warm-up pairs, then the measured pairs, with their checks. */
class Pass {
  private readonly getMs: number[] = [];

  constructor(
    private readonly client: GenstreamClient,
    private readonly reader: StoreReader,
    private readonly latencyMs: number,
    private readonly settings: PassSettings,
    private readonly sent: SentRequest[],
  ) {}

  async run(prompts: number, warmup: number, generationReadyMs: number): Promise<CacheLatencyResult> {
    const { say } = this.settings;
    for (let i = 0; i < warmup; i++) await this.pair();
    const misses: number[] = [];
    const hits: number[] = [];
    let modelCallsDuringMisses = 0;
    let modelCallsDuringHits = 0;
    let responseCacheHitsDuringHits = 0;
    for (let i = 0; i < prompts; i++) {
      const pair = await this.pair();
      misses.push(pair.missMs);
      hits.push(pair.hitMs);
      modelCallsDuringMisses += pair.modelCallsDuringMiss;
      modelCallsDuringHits += pair.modelCallsDuringHit;
      responseCacheHitsDuringHits += pair.responseCacheHits;
      say(
        `L=${this.latencyMs} ms ${i + 1}/${prompts}: model call ${Math.round(pair.missMs)} ms, ` +
          `exact cache ${Math.round(pair.hitMs)} ms`,
      );
    }
    if (modelCallsDuringMisses !== prompts) {
      throw new Error(
        `expected ${prompts} model calls for the ${prompts} first requests, the generation service counted ${modelCallsDuringMisses}`,
      );
    }
    if (modelCallsDuringHits !== 0 || responseCacheHitsDuringHits !== prompts) {
      throw new Error(
        `the repeats were not all answered from the response cache: ${modelCallsDuringHits} model call(s), ` +
          `${responseCacheHitsDuringHits} of ${prompts} response cache hit(s) counted`,
      );
    }
    const miss = figures(misses);
    const hit = figures(hits);
    return {
      simulatedLatencyMs: this.latencyMs,
      prompts,
      miss,
      hit,
      reductionP50: 1 - hit.p50Ms / miss.p50Ms,
      reductionP99: 1 - hit.p99Ms / miss.p99Ms,
      pairReduction: spreadOf(misses.map((m, i) => 1 - hits[i]! / m)),
      ratioP50: hit.p50Ms / miss.p50Ms,
      ratioP99: hit.p99Ms / miss.p99Ms,
      counted: { modelCallsDuringMisses, modelCallsDuringHits, responseCacheHitsDuringHits },
      statusGetMs: spreadOf(this.getMs).median,
      generationReadyMs,
    };
  }

  /** One prompt: the first request (a model call), then the same request again (the exact cache). */
  private async pair(): Promise<{
    missMs: number;
    hitMs: number;
    modelCallsDuringMiss: number;
    modelCallsDuringHit: number;
    responseCacheHits: number;
  }> {
    this.settings.signal.throwIfAborted();
    const request = distinctRequest();
    const before = await this.counters();
    const miss = await this.timed(request);
    const afterMiss = await this.counters();
    if (miss.status.cacheHit !== 'NONE') {
      throw new Error(
        `the first request for a new prompt (${miss.requestId}) was not a model call: cacheHit ${miss.status.cacheHit}`,
      );
    }
    await this.expectCacheEntry(request);
    const hit = await this.timed(request);
    const afterHit = await this.counters();
    if (hit.status.cacheHit !== 'EXACT') {
      throw new Error(
        `the repeat ${hit.requestId} (same prompt, model and user as ${miss.requestId}) was not ` +
          `answered from the cache: cacheHit ${hit.status.cacheHit}`,
      );
    }
    return {
      missMs: miss.ms,
      hitMs: hit.ms,
      modelCallsDuringMiss: afterMiss.modelCalls - before.modelCalls,
      modelCallsDuringHit: afterHit.modelCalls - afterMiss.modelCalls,
      responseCacheHits: afterHit.responseCacheHits - afterMiss.responseCacheHits,
    };
  }

  /** POST, then GET every pollMs until `done`: the time from sending the POST to reading `done`. */
  private async timed(request: Omit<SentRequest, 'requestId'>): Promise<Timed> {
    const requestId = randomUUID();
    this.sent.push({ ...request, requestId });
    const body = { ...request, requestId, title: 'Cache benchmark: incident summary' };
    const started = performance.now();
    await this.client.requestGeneration(body);
    const deadline = started + DONE_TIMEOUT_MS;
    const getMs: number[] = [];
    for (;;) {
      const asked = performance.now();
      const status = await this.client.status(requestId);
      const now = performance.now();
      getMs.push(now - asked);
      if (status?.state === 'done') {
        this.getMs.push(...getMs);
        await sleep(this.settings.pauseMs);
        return { requestId, ms: now - started, status };
      }
      if (status?.state === 'failed') {
        throw new Error(`request ${requestId} failed: ${JSON.stringify(status.error)}`);
      }
      if (now > deadline) {
        throw new Error(`request ${requestId} was not done within ${DONE_TIMEOUT_MS / 1000} s`);
      }
      await sleep(this.settings.pollMs);
    }
  }

  /**
   * The cache-updater writes the response cache entry in the same pipeline as the `done` status;
   * this checks it is there. It then deletes the generation service's flight result for this answer
   * (kept 2 minutes for redeliveries, and read before the cache), so that the repeat is answered
   * from the response cache itself, as every repeat after those 2 minutes is.
   */
  private async expectCacheEntry(request: Omit<SentRequest, 'requestId'>): Promise<void> {
    const entry = await this.reader.cacheEntry(request);
    if (entry === undefined) {
      throw new Error(`no response cache entry for the prompt after its first request was done`);
    }
    const hash = entry.key.slice(entry.key.lastIndexOf(':') + 1);
    await this.reader.redis.del(`genstream:flight:{${hash}}`);
  }

  private async counters(): Promise<{ modelCalls: number; responseCacheHits: number }> {
    const text = await fetchMetrics(this.client.generationUrl);
    return {
      modelCalls: metricValue(text, MODEL_CALLS_METRIC),
      responseCacheHits: metricValue(text, CACHE_HITS_METRIC, { source: 'cache' }),
    };
  }
}

function figures(samplesMs: readonly number[]): ClientLatencyFigures {
  const { p50, p95, p99 } = latencyPercentiles(samplesMs);
  return { samplesMs, p50Ms: p50, p95Ms: p95, p99Ms: p99, spread: spreadOf(samplesMs) };
}

const SERVICES_AFFECTED = ['checkout', 'search', 'billing', 'login', 'notifications', 'exports'];
const CAUSES = [
  'an expired TLS certificate on the internal load balancer',
  'a connection pool exhausted by a slow migration',
  'a cache stampede after a deploy flushed the keys',
  'a misconfigured rate limit on the partner API',
  'disk pressure on the primary database replica',
];

/** A prompt no earlier request used (own ticket number and user): its first answer is a model call. */
function distinctRequest(): Omit<SentRequest, 'requestId'> {
  const ticket = randomInt(100_000, 999_999);
  const service = SERVICES_AFFECTED[randomInt(SERVICES_AFFECTED.length)]!;
  const cause = CAUSES[randomInt(CAUSES.length)]!;
  const minutes = randomInt(5, 95);
  return {
    userId: randomInt(10_000_000, 90_000_000),
    model: MODEL,
    prompt:
      `Incident ${ticket}: the ${service} service returned errors for ${minutes} minutes. ` +
      `The cause was ${cause}. Customers saw failed requests and retries; on-call engineers ` +
      'rolled back the change and added an alert. Summarize the incident for the status page.',
  };
}

/**
 * The services this benchmark started, stopped whatever happens: by the caller's clean-up (SIGTERM,
 * bounded wait), and, should the process exit first, with SIGKILL on its way out: they run in
 * process groups of their own and would otherwise outlive it.
 */
class SpawnGuard implements AsyncDisposable {
  private readonly processes: ServiceProcess[] = [];
  private readonly onExit = () => {
    for (const service of this.processes) service.signal('SIGKILL');
  };

  constructor() {
    process.on('exit', this.onExit);
  }

  spawned(service: ServiceProcess): void {
    this.processes.push(service);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.processes.map((service) => service.stop(10_000)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stopAll();
    process.off('exit', this.onExit);
  }
}

/** Deletes the topics and consumer groups named with this run's prefix. */
async function deleteTopics(brokers: string, prefix: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'bench-cache',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const { groups } = await admin.listGroups();
    const groupIds = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
    if (groupIds.length > 0) await admin.deleteGroups(groupIds);
  } finally {
    await admin.disconnect();
  }
}

/** "92.4%" */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/**
 * The table of one cache benchmark: per simulated latency, p50 (the median of the samples, with
 * their spread) and p99 of a model call and of an exact-cache hit, the reduction and the ratio.
 */
export function formatCacheTable(result: CacheBenchResult): string {
  return formatTable([
    [
      'model latency',
      'model call p50',
      'model call p99',
      'cache hit p50',
      'cache hit p99',
      'reduction p50',
      'reduction p99',
      'reduction per prompt',
      'hit/miss p50',
    ],
    ...result.latencies.map((l) => [
      ms(l.simulatedLatencyMs),
      `${formatSpread(l.miss.spread)} ms`,
      ms(l.miss.p99Ms),
      `${formatSpread(l.hit.spread)} ms`,
      ms(l.hit.p99Ms),
      formatPercent(l.reductionP50),
      formatPercent(l.reductionP99),
      `${formatPercent(l.pairReduction.median)} (${formatPercent(l.pairReduction.min)}..${formatPercent(l.pairReduction.max)})`,
      formatRatio(l.hit.p50Ms, l.miss.p50Ms),
    ]),
  ]);
}

/** What the table means, how exact it is, and what was checked. */
export function describeCacheResult(result: CacheBenchResult): string {
  const { settings } = result;
  const getMs = Math.max(...result.latencies.map((l) => l.statusGetMs));
  const reductions = result.latencies
    .map((l) => `${formatPercent(l.reductionP50)} at ${ms(l.simulatedLatencyMs)}`)
    .join(', ');
  return [
    `Client-seen latency: POST /v1/generations to the first GET /v1/generations/{id} answering done, ` +
      `${settings.prompts} distinct prompts per model latency (model '${settings.model}', ` +
      `LLM_LOCAL_LATENCY_MS), each sent first as a model call (cacheHit NONE) and then, once done, ` +
      `again with the same prompt, model and user and a new requestId (cacheHit EXACT).`,
    `p50 is the median of the ${settings.prompts} samples, ± half their min..max range; reduction = 1 - hit/miss; ` +
      `per prompt: the median (min..max) of each prompt's own reduction. ` +
      `p99 of ${settings.prompts} samples lies between the two slowest.`,
    `Resolution: polled every ${settings.pollMs} ms, one status GET takes ${getMs.toFixed(1)} ms (median), ` +
      `so each sample is late by at most ~${Math.ceil(settings.pollMs + getMs)} ms.`,
    `Checked: every first request NONE and counted as one model call; every repeat EXACT, no model call ` +
      `and one response cache hit (${CACHE_HITS_METRIC}{source="cache"}) each.`,
    `The seed claims a ${formatPercent(result.claimedReduction)} reduction; measured at p50: ${reductions}.`,
  ].join('\n');
}
