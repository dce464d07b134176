// End-to-end throughput (issue part 1) and the services' resident memory under it (part 5).
//
// The same burst of N fresh generation requests goes, in turns, to two systems on the same stores:
// - genstream: C publishers put each request on Kafka (the real Avro codec, key = requestId); the
//   five services then write PostgreSQL, MongoDB, Redis and the vector set on their own;
// - the baseline, the seed tutorial's way: C workers each take the next request, generate it with
//   the same LocalProvider and write PostgreSQL, then MongoDB, then Redis (and the vector set),
//   one awaited statement after another, nothing batched.
// Both are timed the same way: from the first request started to the moment the last request is in
// the last of its four stores (PostgreSQL, Redis and the vector set polled; MongoDB from the write
// acknowledgement, see waitMaterialized). Runs alternate between the two systems; every figure is
// a median over the runs with its spread, every comparison a ratio of two medians of this run.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { cacheKeys, responseCacheKey, type CachedResponse, type DoneStatus } from '@genstream/cache';
import { DocumentRepository, toContentDocument, type ContentDocument } from '@genstream/document-writer';
import { LocalHashedEmbedder, toFp32Buffer } from '@genstream/embeddings';
import {
  TOPICS,
  contentIdOf,
  createEventCodec,
  type ContentGenerated,
  type EventInputTypes,
  type EventTypes,
  type GenerationRequested,
} from '@genstream/events';
import { KafkaRuntime, silentLogger } from '@genstream/kafka';
import {
  SERVICE_NAMES,
  STORES,
  STORE_NAMES,
  StoreReader,
  cacheKeyRequest,
  describeExit,
  freshRequest,
  portOffsetFromEnv,
  startServices,
  type RunningServices,
  type StoreName,
  type StoreUrls,
} from '@genstream/launcher';
import { LOCAL_MODEL_USED, LocalProvider } from '@genstream/llm';
import { migrate } from '@genstream/metadata-writer';
import { ENV_VAR, formatTable, loadStackConfig, stackDown, stackUp, type ServerName } from '@genstream/stack';
import { Redis } from 'ioredis';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { MongoClient, type Collection, type Document } from 'mongodb';
import pg from 'pg';
import { formatRatio, formatSpread, latencyPercentiles, spreadOf, type Spread } from './stats.js';

export interface ThroughputOptions {
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
  /** The environment the stack and the services are configured from; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (default: none). */
  readonly say?: (line: string) => void;
  /** Aborting stops the benchmark; what it started and wrote is still removed. */
  readonly signal?: AbortSignal;
  /**
   * Stop, at the end, the servers this call had to start (default false: the stack keeps running,
   * as after `npm run stack:up`, for the next benchmark).
   */
  readonly stopStartedServers?: boolean;
}

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
  /** Servers this call started (the caller may stop them: `stackDown(config, startedServers)`). */
  readonly startedServers: readonly ServerName[];
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

/** Written into the result and printed: what is compared with what. */
function definitionsFor(concurrency: number, sampleMs: number): string[] {
  return [
    `Concurrency C=${concurrency}, the same for both: each run hands N fresh requests at once to C workers; ` +
      'a worker takes the next request when it is free. A genstream worker publishes the request on Kafka ' +
      "through genstream's own publisher (@genstream/kafka: Avro single-object encoding, idempotent " +
      'producer, concurrent publishes coalesced into one request within 5 ms, as in the generation API) and ' +
      'is free once the broker acknowledges it; the pipeline does the rest. A baseline worker is the seed ' +
      "tutorial's handler: it is free once its own writes are done.",
    'Baseline handler, per request, each step awaited before the next: LocalProvider.generate (same model, ' +
      'no simulated latency); PostgreSQL users upsert, then content insert (one statement each, autocommit, ' +
      'same tables and indexes as the metadata-writer via its migrations, own schema); MongoDB insertOne of ' +
      'the same document (own database, same indexes); Redis SET EX of the response cache entry, the user ' +
      'summary and the done status; LocalHashedEmbedder of title + output, VADD (FP32, Q8, attributes) and ' +
      'the hydration HSET (own key prefix). Not included: the response cache lookup and the single-flight ' +
      'lock that genstream does per request, and the ContentIndexed event it publishes.',
    'Latency = first seen in its last store - the moment a worker started on it (genstream: publish began; ' +
      'baseline: handler began). A baseline request waits for a free worker before that moment, uncounted; ' +
      "genstream's queue is inside the pipeline (Kafka backlog) and counted. Latency from burst counts " +
      'every queue for both: seen in its last store - the moment the N requests were handed over.',
    'PostgreSQL, Redis and the vector set of both systems are polled the same way (content_id = ANY($1), ' +
      'MGET of the status keys, a VISMEMBER pipeline; each re-checked after the poll pause): such a time is ' +
      'an upper bound, late by up to one poll interval (shown per store).',
    'MongoDB is not timed by polling: FerretDB v1 answers _id $in with a scan of the whole collection in ' +
      'its Go layer over a snapshot (0.3-0.8 s per check at 2,000 documents on this machine), so a polled ' +
      'document shows one to two scans late, and the scans slow the writers. Its time is the write ' +
      'acknowledgement instead: baseline, its insertOne resolved; genstream, the document-writer group ' +
      "committed past the request's ContentGenerated (it commits only after insertMany was acknowledged; " +
      'offsets fetched every poll pause). Every document is still confirmed by _id $in before a run ends.',
    `Resident memory: VmRSS of each service process and its descendants from /proc, sampled every ${sampleMs} ` +
      'ms during the measured genstream runs; the bench process (publisher or baseline handler, plus ' +
      'the poller) is sampled in both. A peak shorter than the sample interval can be missed.',
  ];
}

/**
 * Brings up the stack (what is missing) and the five services on fresh topics, measures R
 * alternating runs of genstream and of the baseline with N requests each, removes every row,
 * document and key it wrote, stops the services, deletes its topics and consumer groups, and
 * returns the measurements. The stack keeps running unless `stopStartedServers`.
 */
export async function benchThroughput(options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const settings = {
    requests: positive('requests', options.requests ?? THROUGHPUT_DEFAULTS.requests),
    runs: positive('runs', options.runs ?? THROUGHPUT_DEFAULTS.runs),
    concurrency: positive('concurrency', options.concurrency ?? THROUGHPUT_DEFAULTS.concurrency),
    warmupRequests: nonNegative(
      'warmupRequests',
      options.warmupRequests ?? THROUGHPUT_DEFAULTS.warmupRequests,
    ),
    pollMs: nonNegative('pollMs', options.pollMs ?? THROUGHPUT_DEFAULTS.pollMs),
    sampleMs: positive('sampleMs', options.sampleMs ?? THROUGHPUT_DEFAULTS.sampleMs),
  };
  const runTimeoutMs = options.runTimeoutMs ?? THROUGHPUT_DEFAULTS.runTimeoutMs;
  const env = options.env ?? process.env;
  const say = options.say ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  const startedAt = new Date().toISOString();

  say('bringing up the stack (what is not running yet)');
  const stackConfig = loadStackConfig(env);
  const { servers, started: startedServers } = await stackUp(stackConfig);
  const serverEnv = Object.fromEntries(servers.map((server) => [ENV_VAR[server.name], server.address]));
  const urls = serverEnv as unknown as StoreUrls & { KAFKA_BROKERS: string };

  const tag = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const topicPrefix = `bench_tp_${tag}.`;
  // Undone in reverse order, whatever happened.
  const cleanups: (() => Promise<unknown>)[] = [];
  if (options.stopStartedServers && startedServers.length > 0) {
    cleanups.push(async () => stackDown(stackConfig, startedServers));
  }
  try {
    const stores = await StoreConnections.connect(urls);
    cleanups.push(async () => stores.close());
    const kafka = new Kafka({
      clientId: `bench-throughput-${tag}`,
      brokers: urls.KAFKA_BROKERS.split(','),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(async () => admin.disconnect());
    cleanups.push(async () => deleteKafkaLeftovers(admin, topicPrefix));

    // Before the services: after they stop, it removes what a failed run may still have written.
    const genstream = await GenstreamSystem.open(kafka, admin, topicPrefix, stores);
    cleanups.push(async () => genstream.close());

    say(`starting the five services on topics ${topicPrefix}* (their output is shown only if one fails)`);
    const services = await startServices({
      env: { ...env, ...serverEnv, TOPIC_PREFIX: topicPrefix },
      portOffset: portOffsetFromEnv(env),
    });
    cleanups.push(async () => services.stop());
    const ready = [...services.readyMs.values()].map((ms) => (ms / 1000).toFixed(1));
    say(`all five services are healthy (ready in ${ready.join(', ')} s)`);
    await genstream.startTracking();

    const baseline = await BaselineSystem.open(urls, tag, settings.concurrency);
    cleanups.push(async () => baseline.drop());

    const context: RunContext = { stores, services, settings, runTimeoutMs, say, signal };
    if (settings.warmupRequests > 0) {
      say(`warm-up (not counted): ${settings.warmupRequests} requests through each system`);
      await runOnce(context, genstream, 0, settings.warmupRequests);
      await runOnce(context, baseline, 0, settings.warmupRequests);
    }
    const idle = sampleRss([
      ...processesOf(services),
      ...(['genstream', 'baseline'] as const).map((name) => ({
        name: benchProcessLabel(name),
        pid: process.pid,
        tree: false,
      })),
    ]);

    const measured: RunMeasurement[] = [];
    for (let run = 1; run <= settings.runs; run++) {
      // g b, b g, g b, ...: neither system always runs second, on a warmer or a busier machine.
      const order = run % 2 === 1 ? [genstream, baseline] : [baseline, genstream];
      for (const system of order) measured.push(await runOnce(context, system, run, settings.requests));
    }
    return summarize({ startedAt, settings, measured, idle, startedServers });
  } finally {
    say('removing what it wrote, stopping the services, deleting its topics');
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => say(`clean-up step failed: ${(error as Error).message}`));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// One run

interface RunContext {
  readonly stores: StoreConnections;
  readonly services: RunningServices;
  readonly settings: ThroughputResult['settings'];
  readonly runTimeoutMs: number;
  readonly say: (line: string) => void;
  readonly signal: AbortSignal;
}

/** A system under test: how a worker hands it one request, where it writes, how to remove that. */
interface SystemUnderTest {
  readonly name: SystemName;
  readonly target: StoreTarget;
  /** Does the system's part for one request; resolves when the worker is free again. */
  handle(request: GenerationRequested): Promise<void>;
  /** Epoch ms its intermediate event was read back (genstream's ContentGenerated). */
  generatedAt?(requestId: string): number | undefined;
  /**
   * Removes everything this system wrote for these requests. `settled`: every one of them is in
   * all four stores, nothing more will come (false after a failed run).
   */
  remove(requests: readonly GenerationRequested[], settled: boolean): Promise<void>;
}

async function runOnce(
  context: RunContext,
  system: SystemUnderTest,
  run: number,
  count: number,
): Promise<RunMeasurement> {
  const { settings, say } = context;
  const label = run === 0 ? `${system.name} warm-up` : `${system.name} run ${run}/${settings.runs}`;
  const requests = Array.from({ length: count }, () => freshRequest());
  const tracked = requests.map((request) => ({
    requestId: request.requestId,
    contentId: contentIdOf(request.requestId),
  }));
  const startedAt = new Array<number>(count).fill(0);
  const doneAt = new Array<number>(count).fill(0);
  const abort = new AbortController();
  const signal = AbortSignal.any([context.signal, abort.signal]);
  // The services in genstream runs; the bench process (publisher or baseline handler) always.
  const sampler = new RssSampler(
    [
      ...(system.name === 'genstream' ? processesOf(context.services) : []),
      { name: benchProcessLabel(system.name), pid: process.pid, tree: false },
    ],
    settings.sampleMs,
  );
  say(`${label}: ${count} requests to ${settings.concurrency} workers`);
  sampler.start();
  const burstAt = Date.now();
  let measurement: RunMeasurement;
  try {
    const polling = waitMaterialized(context.stores, system.target, tracked, {
      pollMs: settings.pollMs,
      deadline: burstAt + context.runTimeoutMs,
      signal,
      check: () => assertServicesRunning(context.services),
      onProgress: (counts) =>
        say(`${label}: ${STORES.map((store) => `${store} ${counts[store]}`).join(', ')} of ${count}`),
    });
    const working = runWorkers(count, settings.concurrency, signal, async (i) => {
      startedAt[i] = Date.now();
      await system.handle(requests[i]!);
      doneAt[i] = Date.now();
    });
    // A failure of either side stops the other at once.
    const stopOthersOnFailure = async <T>(work: Promise<T>): Promise<T> => {
      try {
        return await work;
      } catch (error) {
        abort.abort(error);
        throw error;
      }
    };
    const [materialized] = await Promise.all([stopOthersOnFailure(polling), stopOthersOnFailure(working)]);
    const peaks = sampler.stop();
    measurement = measure({
      system: system.name,
      run,
      settings,
      tracked,
      burstAt,
      startedAt,
      doneAt,
      materialized,
      peaks,
      generatedAt: system.generatedAt?.bind(system),
    });
  } catch (error) {
    sampler.stop();
    // The run's own error is the one worth reporting.
    await system
      .remove(requests, false)
      .catch((removal: unknown) => say(`${label}: could not remove its data: ${(removal as Error).message}`));
    throw error;
  }
  say(`${label}: ${describeRun(measurement)}`);
  await system.remove(requests, true);
  return measurement;
}

/** `count` jobs on `concurrency` workers, each taking the next job when it is free. */
async function runWorkers(
  count: number,
  concurrency: number,
  signal: AbortSignal,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      signal.throwIfAborted();
      await job(next++);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function assertServicesRunning(services: RunningServices): void {
  for (const service of services.services) {
    if (service.exit) {
      throw new Error(
        `${service.name} stopped during the run (${describeExit(service.exit)}); its last lines:\n` +
          service.lastLines(15).join('\n'),
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// genstream: publish on Kafka, the services do the rest

class GenstreamSystem implements SystemUnderTest {
  readonly name = 'genstream';
  readonly target: StoreTarget;
  private readonly unsettled: GenerationRequested[] = [];
  /** Where each request's ContentGenerated is (the first copy, if published twice), and when it was read. */
  private readonly generated = new Map<string, { partition: number; offset: bigint; readAt: number }>();
  private readonly generatedTopic: string;
  private readonly documentWriterGroup: string;
  private tracker: Consumer | undefined;

  private constructor(
    private readonly runtime: KafkaRuntime<EventTypes, EventInputTypes>,
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly topicPrefix: string,
    private readonly reader: StoreReader,
    private readonly stores: StoreConnections,
  ) {
    const keys = cacheKeys();
    this.generatedTopic = `${topicPrefix}${TOPICS.ContentGenerated}`;
    // The service's consumer group: consumerGroupId() of @genstream/service.
    this.documentWriterGroup = `${topicPrefix}genstream.document-writer`;
    this.target = {
      contentTable: 'ai_generated_content',
      documents: stores.mongo.db(STORE_NAMES.mongoDatabase).collection(STORE_NAMES.mongoCollection),
      statusKey: (requestId) => keys.requestStatus(requestId),
      vectorSet: STORE_NAMES.vectorSet,
      mongoAcknowledged: (items) => this.documentsCommitted(items),
    };
  }

  /** The publisher creates no topics: the generation service creates those it consumes. */
  static async open(
    kafka: Kafka,
    admin: Admin,
    topicPrefix: string,
    stores: StoreConnections,
  ): Promise<GenstreamSystem> {
    const runtime = new KafkaRuntime<EventTypes, EventInputTypes>({
      service: `bench-throughput-${topicPrefix}`,
      brokers: stores.urls.KAFKA_BROKERS.split(','),
      codec: createEventCodec(),
      topics: Object.fromEntries(
        Object.entries(TOPICS).map(([name, topic]) => [name, `${topicPrefix}${topic}`]),
      ) as Record<keyof typeof TOPICS, string>,
      topicCreation: false,
      logger: silentLogger,
      kafkaLogLevel: 'error',
    });
    await runtime.start();
    const reader = await StoreReader.connect(stores.urls);
    return new GenstreamSystem(runtime, kafka, admin, topicPrefix, reader, stores);
  }

  /**
   * Reads the keys and offsets of genstream.content.generated (no decoding) from a group of its
   * own, so that the document-writer's committed offsets say which documents are written. Call once
   * the services run (they create the topic).
   */
  async startTracking(): Promise<void> {
    const tracker = this.kafka.consumer({
      groupId: `${this.topicPrefix}bench-offsets`,
      maxWaitTimeInMs: 100,
    });
    this.tracker = tracker;
    await tracker.connect();
    await tracker.subscribe({ topic: this.generatedTopic, fromBeginning: true });
    const joined = new Promise<void>((resolve) => tracker.on(tracker.events.GROUP_JOIN, () => resolve()));
    await tracker.run({
      eachBatch: async ({ batch }) => {
        const readAt = Date.now();
        for (const message of batch.messages) {
          const requestId = message.key?.toString();
          if (requestId === undefined || this.generated.has(requestId)) continue;
          this.generated.set(requestId, {
            partition: batch.partition,
            offset: BigInt(message.offset),
            readAt,
          });
        }
      },
    });
    await joined;
  }

  /**
   * The document-writer commits a record only after MongoDB acknowledged its insertMany: a request
   * is written once the group's committed offset on its partition is past its ContentGenerated.
   */
  private async documentsCommitted(items: readonly Tracked[]): Promise<Map<string, number>> {
    const [committed] = await this.admin.fetchOffsets({
      groupId: this.documentWriterGroup,
      topics: [this.generatedTopic],
    });
    const at = Date.now();
    const next = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    const written = new Map<string, number>();
    for (const item of items) {
      const record = this.generated.get(item.requestId);
      if (record !== undefined && record.offset < (next.get(record.partition) ?? -1n)) {
        written.set(item.requestId, at);
      }
    }
    return written;
  }

  generatedAt(requestId: string): number | undefined {
    return this.generated.get(requestId)?.readAt;
  }

  /** Resolves once Kafka acknowledged the request (key = requestId). */
  async handle(request: GenerationRequested): Promise<void> {
    await this.runtime.publisher.publish('GenerationRequested', request);
  }

  async remove(requests: readonly GenerationRequested[], settled: boolean): Promise<void> {
    await this.removeAll(requests);
    // The pipeline may still write some of them: removed again once the services have stopped.
    if (!settled) this.unsettled.push(...requests);
    for (const request of requests) this.generated.delete(request.requestId);
  }

  /** Call after the services have stopped. */
  async close(): Promise<void> {
    try {
      for (const chunk of chunks(this.unsettled, 2_000)) await this.removeAll(chunk);
    } finally {
      await Promise.allSettled([this.runtime.stop(), this.tracker?.disconnect(), this.reader.close()]);
    }
  }

  /**
   * What the services wrote (StoreReader.removeContent), and the generation service's single-flight
   * result and lock of each request, which would expire within minutes: `genstream:flight:{id}` and
   * `genstream:lock:{id}`, id = the response cache key.
   */
  private async removeAll(requests: readonly GenerationRequested[]): Promise<void> {
    await this.reader.removeContent(requests);
    const flights = requests.flatMap((request) => {
      const id = responseCacheKey(cacheKeyRequest(request)) ?? `request-${request.requestId.toLowerCase()}`;
      return [`genstream:flight:{${id}}`, `genstream:lock:{${id}}`];
    });
    for (const keys of chunks(flights, 1_000)) await this.stores.redis.del(...keys);
  }
}

// ---------------------------------------------------------------------------------------------
// The baseline: the seed tutorial's synchronous handler

// One statement each, as a handler written request by request does it.
const UPSERT_USER = `
INSERT INTO users (id, first_seen_at, last_seen_at) VALUES ($1, $2, $2)
ON CONFLICT (id) DO UPDATE SET last_seen_at = greatest(users.last_seen_at, excluded.last_seen_at)`;

const INSERT_CONTENT = `
INSERT INTO ai_generated_content (
  content_id, request_id, user_id, model_id, title, model_used, requested_model, prompt, output,
  cache_hit, prompt_tokens, completion_tokens, latency_ms, requested_at, generated_at
) VALUES ($1, $2, $3, (SELECT id FROM models WHERE name = $4), $5, $4, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (content_id) DO NOTHING`;

// The cache-updater's defaults (CACHE_TTL_SECONDS, USER_SUMMARY_TTL_SECONDS, REQUEST_STATUS_TTL_SECONDS).
const TTL = { cache: 3_600, summary: 86_400, status: 86_400 } as const;

class BaselineSystem implements SystemUnderTest {
  readonly name = 'baseline';
  readonly target: StoreTarget;
  private readonly model = new LocalProvider();
  private readonly embedder = new LocalHashedEmbedder();
  private readonly keys: ReturnType<typeof cacheKeys>;
  private readonly documents: Collection<ContentDocument>;
  /** Request id -> epoch ms its insertOne resolved. */
  private readonly documentWrittenAt = new Map<string, number>();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly admin: pg.Pool,
    private readonly mongo: MongoClient,
    private readonly redis: Redis,
    private readonly schema: string,
    private readonly database: string,
    private readonly keyPrefix: string,
  ) {
    this.keys = cacheKeys(keyPrefix);
    this.documents = mongo.db(database).collection<ContentDocument>('aiGenerated');
    this.target = {
      contentTable: `${schema}.ai_generated_content`,
      documents: mongo.db(database).collection('aiGenerated'),
      statusKey: (requestId) => this.keys.requestStatus(requestId),
      vectorSet: `${keyPrefix}${STORE_NAMES.vectorSet}`,
      // Its own clock: the handler awaited the insert.
      mongoAcknowledged: async (items) =>
        new Map(
          items.flatMap((item) => {
            const at = this.documentWrittenAt.get(item.requestId);
            return at === undefined ? [] : [[item.requestId, at] as const];
          }),
        ),
    };
  }

  /** Own schema (the metadata-writer's migrations), own database (its indexes), own key prefix. */
  static async open(urls: StoreUrls, tag: string, concurrency: number): Promise<BaselineSystem> {
    // The PostgreSQL schema and the MongoDB database share the name.
    const schema = `bench_baseline_${tag}`;
    const admin = new pg.Pool({ connectionString: urls.DATABASE_URL, max: 1 });
    const pool = new pg.Pool({
      connectionString: urls.DATABASE_URL,
      max: concurrency,
      options: `-c search_path=${schema}`,
    });
    const mongo = new MongoClient(urls.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
    const redis = new Redis(urls.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    const system = new BaselineSystem(pool, admin, mongo, redis, schema, schema, `bench:baseline:${tag}:`);
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      await migrate(pool);
      await pool.query(
        'INSERT INTO models (name, first_seen_at) VALUES ($1, now()) ON CONFLICT (name) DO NOTHING',
        [LOCAL_MODEL_USED],
      );
      await Promise.all([mongo.connect(), redis.connect()]);
      await new DocumentRepository(mongo, {
        databaseName: schema,
        collectionName: 'aiGenerated',
      }).ensureIndexes();
    } catch (error) {
      await system.drop();
      throw error;
    }
    return system;
  }

  async handle(request: GenerationRequested): Promise<void> {
    const began = Date.now();
    const answer = await this.model.generate({
      model: request.model,
      prompt: request.prompt,
      parameters: request.parameters,
    });
    const generatedAt = Date.now();
    const event: ContentGenerated = {
      requestId: request.requestId,
      userId: request.userId,
      title: request.title,
      prompt: request.prompt,
      model: request.model,
      requestedAt: request.requestedAt,
      parameters: request.parameters,
      tenant: request.tenant,
      cacheScope: request.cacheScope,
      correlationId: request.correlationId,
      causationId: request.causationId,
      source: request.source,
      contentId: contentIdOf(request.requestId),
      modelUsed: answer.modelUsed,
      output: answer.output,
      cacheHit: 'NONE',
      generatedAt,
      latencyMs: generatedAt - began,
      usage: { promptTokens: answer.usage.promptTokens, completionTokens: answer.usage.completionTokens },
    };
    const at = new Date(generatedAt).toISOString();
    await this.pool.query(UPSERT_USER, [event.userId, at]);
    await this.pool.query(INSERT_CONTENT, [
      event.contentId,
      event.requestId,
      event.userId,
      event.modelUsed,
      event.title,
      event.model,
      event.prompt,
      event.output,
      event.cacheHit,
      event.usage.promptTokens,
      event.usage.completionTokens,
      event.latencyMs,
      new Date(event.requestedAt).toISOString(),
      at,
    ]);
    await this.documents.insertOne(toContentDocument(event));
    this.documentWrittenAt.set(event.requestId, Date.now());
    const cacheKey = responseCacheKey(cacheKeyRequest(request));
    if (cacheKey !== undefined) {
      const cached: CachedResponse = {
        contentId: event.contentId,
        requestId: event.requestId,
        output: event.output,
        modelUsed: event.modelUsed,
        generatedAt: event.generatedAt,
        usage: event.usage,
      };
      await this.redis.set(this.keys.response(cacheKey), JSON.stringify(cached), 'EX', TTL.cache);
    }
    await this.redis.set(this.keys.userSummary(event.userId), event.output, 'EX', TTL.summary);
    const status: DoneStatus = {
      state: 'done',
      contentId: event.contentId,
      output: event.output,
      modelUsed: event.modelUsed,
      generatedAt: event.generatedAt,
      cacheHit: event.cacheHit,
    };
    await this.redis.set(this.keys.requestStatus(event.requestId), JSON.stringify(status), 'EX', TTL.status);
    const [vector] = await this.embedder.embed([`${event.title}\n${event.output}`]);
    const attributes = { userId: event.userId, model: event.modelUsed, generatedAt, title: event.title };
    await this.redis.vadd(
      this.target.vectorSet,
      'FP32',
      toFp32Buffer(vector!),
      event.contentId,
      'Q8',
      'SETATTR',
      JSON.stringify(attributes),
    );
    await this.redis.hset(this.docKey(event.contentId), 'title', event.title, 'output', event.output);
  }

  async remove(requests: readonly GenerationRequested[]): Promise<void> {
    const requestIds = requests.map((request) => request.requestId);
    const contentIds = requestIds.map(contentIdOf);
    for (const requestId of requestIds) this.documentWrittenAt.delete(requestId);
    await this.pool.query('DELETE FROM ai_generated_content WHERE request_id = ANY($1::uuid[])', [
      requestIds,
    ]);
    await this.pool.query('DELETE FROM users WHERE id = ANY($1::bigint[])', [requests.map((r) => r.userId)]);
    await this.documents.deleteMany({ _id: { $in: contentIds } });
    const keys = [
      ...requestIds.map((id) => this.keys.requestStatus(id)),
      ...requests.map((request) => this.keys.userSummary(request.userId)),
      ...requests.flatMap((request) => {
        const hash = responseCacheKey(cacheKeyRequest(request));
        return hash === undefined ? [] : [this.keys.response(hash)];
      }),
      ...contentIds.map((id) => this.docKey(id)),
    ];
    for (let i = 0; i < keys.length; i += 1000) await this.redis.del(...keys.slice(i, i + 1000));
    await this.redis.del(this.target.vectorSet);
  }

  /** Drops its schema and database and deletes its keys. */
  async drop(): Promise<void> {
    await this.admin.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`).catch(() => undefined);
    if (this.redis.status === 'ready') {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.keyPrefix}*`, 'COUNT', 1000);
        if (keys.length > 0) await this.redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    await this.mongo
      .db(this.database)
      .dropDatabase()
      .catch(() => undefined);
    await Promise.allSettled([this.pool.end(), this.admin.end(), this.mongo.close()]);
    this.redis.disconnect();
  }

  private docKey(contentId: string): string {
    return `${this.keyPrefix}genstream:vs:doc:${contentId}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Seeing requests arrive in the four stores

/** Where one system writes. */
interface StoreTarget {
  /** The content table, schema-qualified when not in the search path. */
  readonly contentTable: string;
  readonly documents: Collection<Document>;
  readonly statusKey: (requestId: string) => string;
  readonly vectorSet: string;
  /**
   * Epoch ms MongoDB acknowledged the document of each of these requests, for those it has.
   * FerretDB cannot be polled precisely (see waitMaterialized), so this stands in for "seen".
   */
  mongoAcknowledged(items: readonly Tracked[]): Promise<Map<string, number>>;
}

interface Tracked {
  readonly requestId: string;
  readonly contentId: string;
}

/** The poller's own connections to the stores, shared by both systems' checks. */
class StoreConnections {
  private constructor(
    readonly urls: StoreUrls & { KAFKA_BROKERS: string },
    readonly pool: pg.Pool,
    readonly mongo: MongoClient,
    readonly redis: Redis,
  ) {}

  static async connect(urls: StoreUrls & { KAFKA_BROKERS: string }): Promise<StoreConnections> {
    const pool = new pg.Pool({ connectionString: urls.DATABASE_URL, max: 2 });
    const mongo = new MongoClient(urls.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
    const redis = new Redis(urls.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    try {
      await Promise.all([pool.query('SELECT 1'), mongo.connect(), redis.connect()]);
    } catch (error) {
      await Promise.allSettled([pool.end(), mongo.close()]);
      redis.disconnect();
      throw new Error(`cannot reach the stores: ${(error as Error).message}`, { cause: error });
    }
    return new StoreConnections(urls, pool, mongo, redis);
  }

  /** The tracked requests now present in `store`. */
  async present(store: StoreName, target: StoreTarget, items: readonly Tracked[]): Promise<Tracked[]> {
    switch (store) {
      case 'postgres': {
        const found = new Set<string>();
        for (const chunk of chunks(items, 2_000)) {
          const { rows } = await this.pool.query<{ content_id: string }>(
            `SELECT content_id FROM ${target.contentTable} WHERE content_id = ANY($1::uuid[])`,
            [chunk.map((item) => item.contentId)],
          );
          for (const row of rows) found.add(row.content_id);
        }
        return items.filter((item) => found.has(item.contentId));
      }
      case 'mongo': {
        // One query for all: FerretDB v1 answers `_id: {$in}` with one collection scan, so more,
        // smaller queries would each scan the whole collection again.
        const found = new Set<string>();
        for (const chunk of chunks(items, 10_000)) {
          const documents = await target.documents
            .find({ _id: { $in: chunk.map((item) => item.contentId) } } as Document, {
              projection: { _id: 1 },
            })
            .toArray();
          for (const document of documents) found.add(String(document._id));
        }
        return items.filter((item) => found.has(item.contentId));
      }
      case 'redis': {
        const present: Tracked[] = [];
        for (const chunk of chunks(items, 1_000)) {
          const values = await this.redis.mget(...chunk.map((item) => target.statusKey(item.requestId)));
          values.forEach((value, i) => {
            if (value === null) return;
            const status = JSON.parse(value) as { state: string; code?: string; message?: string };
            if (status.state === 'failed') {
              throw new Error(`request ${chunk[i]!.requestId} failed: ${status.code}: ${status.message}`);
            }
            if (status.state === 'done') present.push(chunk[i]!);
          });
        }
        return present;
      }
      case 'vectors': {
        const pipeline = this.redis.pipeline();
        for (const item of items) pipeline.vismember(target.vectorSet, item.contentId);
        const replies = (await pipeline.exec()) ?? [];
        return items.filter((_, i) => {
          const [error, reply] = replies[i] ?? [null, 0];
          if (error) throw error;
          return reply === 1 || reply === true;
        });
      }
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.mongo.close()]);
    this.redis.disconnect();
  }
}

interface MaterializedOptions {
  readonly pollMs: number;
  /** Epoch ms. */
  readonly deadline: number;
  readonly signal: AbortSignal;
  /** Called before every check; throwing stops the wait (e.g. a service died). */
  readonly check: () => void;
  /** About once a second, how many requests each store has. */
  readonly onProgress: (counts: Readonly<Record<StoreName, number>>) => void;
}

interface Materialized {
  /** Per store: request id -> epoch ms it was first seen there. */
  readonly seen: Readonly<Record<StoreName, ReadonlyMap<string, number>>>;
  readonly pollIntervalMs: Readonly<Record<StoreName, number>>;
}

/**
 * Polls each store in a loop of its own, asking only for the requests it still lacks, until every
 * request is in all four. A time is when the answer that first showed the request came back.
 */
async function waitMaterialized(
  stores: StoreConnections,
  target: StoreTarget,
  items: readonly Tracked[],
  options: MaterializedOptions,
): Promise<Materialized> {
  const seen = recordOf(() => new Map<string, number>());
  const pollIntervalMs = recordOf(() => 0);
  let failure: unknown;
  const progress = setInterval(() => options.onProgress(recordOf((store) => seen[store].size)), 1_000);
  /** Checks until `arrived` has every item; returns the mean time between two checks. */
  const until = async (
    arrived: Map<string, number>,
    check: (pending: readonly Tracked[]) => Promise<Map<string, number>>,
  ): Promise<number> => {
    const began = Date.now();
    let rounds = 0;
    let pending = items;
    while (pending.length > 0 && failure === undefined) {
      options.signal.throwIfAborted();
      options.check();
      if (Date.now() > options.deadline) {
        const missing = STORES.map((name) => `${name} ${items.length - seen[name].size}`).join(', ');
        throw new Error(`not every request reached every store in time; missing: ${missing}`);
      }
      for (const [requestId, at] of await check(pending)) arrived.set(requestId, at);
      rounds++;
      pending = pending.filter((item) => !arrived.has(item.requestId));
      if (pending.length > 0) await sleep(options.pollMs);
    }
    return rounds > 0 ? (Date.now() - began) / rounds : 0;
  };
  const seenNow = (store: StoreName) => async (pending: readonly Tracked[]) => {
    const found = await stores.present(store, target, pending);
    const at = Date.now();
    return new Map(found.map((item) => [item.requestId, at]));
  };
  const poll = async (store: StoreName) => {
    if (store !== 'mongo') {
      pollIntervalMs[store] = await until(seen[store], seenNow(store));
      return;
    }
    // FerretDB v1 answers `_id: {$in}` with a scan of the whole collection in its Go layer
    // (~0.2-0.4 ms per document here) over a snapshot taken when the scan began, so a polled
    // document shows one to two scans (seconds, at a few thousand documents) after it was
    // written, and the scans slow the writers down. The times come from the acknowledgements
    // instead; every document is then confirmed by `_id: {$in}` before the run counts as done.
    pollIntervalMs.mongo = await until(seen.mongo, (pending) => target.mongoAcknowledged(pending));
    await until(new Map(), seenNow('mongo'));
  };
  try {
    await Promise.all(
      STORES.map((store) =>
        poll(store).catch((error: unknown) => {
          failure ??= error;
          throw error;
        }),
      ),
    );
  } finally {
    clearInterval(progress);
  }
  return { seen, pollIntervalMs };
}

// ---------------------------------------------------------------------------------------------
// Figures

interface MeasureInput {
  readonly system: SystemName;
  readonly run: number;
  readonly settings: ThroughputResult['settings'];
  readonly tracked: readonly Tracked[];
  /** Epoch ms the N requests were handed to the workers. */
  readonly burstAt: number;
  /** Per request (burst order): epoch ms a worker started on it, and was done with it. */
  readonly startedAt: readonly number[];
  readonly doneAt: readonly number[];
  readonly materialized: Materialized;
  readonly peaks: ReadonlyMap<string, number>;
  readonly generatedAt?: (requestId: string) => number | undefined;
}

function measure(input: MeasureInput): RunMeasurement {
  const { tracked, startedAt, doneAt, materialized } = input;
  const seenAt = (store: StoreName, i: number) => materialized.seen[store].get(tracked[i]!.requestId)!;
  const lastStore = recordOf(() => 0);
  const everywhereAt = tracked.map((_, i) => {
    let last: StoreName = STORES[0];
    for (const store of STORES) if (seenAt(store, i) > seenAt(last, i)) last = store;
    lastStore[last]++;
    return seenAt(last, i);
  });
  const firstStart = Math.min(...startedAt);
  const durationMs = Math.max(...everywhereAt) - firstStart;
  const count = tracked.length;
  const measurement: RunMeasurement = {
    system: input.system,
    run: input.run,
    requests: count,
    concurrency: input.settings.concurrency,
    durationMs,
    eventsPerSecond: count / (Math.max(durationMs, 1) / 1000),
    latencyMs: latencyPercentiles(everywhereAt.map((at, i) => at - startedAt[i]!)),
    latencyFromBurstMs: latencyPercentiles(everywhereAt.map((at) => at - input.burstAt)),
    storeP50Ms: recordOf(
      (store) => latencyPercentiles(tracked.map((_, i) => seenAt(store, i) - startedAt[i]!)).p50,
    ),
    lastStore,
    pollIntervalMs: materialized.pollIntervalMs,
    peakRssBytes: Object.fromEntries(input.peaks),
  };
  if (input.system === 'genstream') {
    const generated = tracked.flatMap((item, i) => {
      const at = input.generatedAt?.(item.requestId);
      return at === undefined ? [] : [at - startedAt[i]!];
    });
    return {
      ...measurement,
      publishMs: Math.max(...doneAt) - firstStart,
      publishAckP50Ms: latencyPercentiles(doneAt.map((at, i) => at - startedAt[i]!)).p50,
      ...(generated.length > 0 ? { generatedP50Ms: latencyPercentiles(generated).p50 } : {}),
    };
  }
  return {
    ...measurement,
    handlerLatencyMs: latencyPercentiles(doneAt.map((at, i) => at - startedAt[i]!)),
    handlerEventsPerSecond: count / (Math.max(Math.max(...doneAt) - firstStart, 1) / 1000),
  };
}

interface SummarizeInput {
  readonly startedAt: string;
  readonly settings: ThroughputResult['settings'];
  readonly measured: readonly RunMeasurement[];
  /** Resident memory per process before the first measured run. */
  readonly idle: ReadonlyMap<string, number>;
  readonly startedServers: readonly ServerName[];
}

function summarize(input: SummarizeInput): ThroughputResult {
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

/** The result as plain-text tables: the comparison, where the time goes, and memory. */
export function formatThroughputTable(result: ThroughputResult): string {
  const { genstream: g, baseline: b, settings } = result;
  const header = ['', 'genstream', 'baseline', 'genstream/baseline'];
  const row = (label: string, gs: Spread, bs: Spread, digits = 0) => [
    label,
    formatSpread(gs, digits),
    formatSpread(bs, digits),
    formatRatio(gs.median, bs.median),
  ];
  const comparison = formatTable([
    header,
    row('events/s', g.eventsPerSecond, b.eventsPerSecond),
    row('latency p50 (ms)', g.latencyMs.p50, b.latencyMs.p50),
    row('latency p95 (ms)', g.latencyMs.p95, b.latencyMs.p95),
    row('latency p99 (ms)', g.latencyMs.p99, b.latencyMs.p99),
    row('latency from burst p50 (ms)', g.latencyFromBurstMs.p50, b.latencyFromBurstMs.p50),
    row('latency from burst p99 (ms)', g.latencyFromBurstMs.p99, b.latencyFromBurstMs.p99),
  ]);
  const stores = formatTable([
    ['store', 'genstream p50 (ms)', 'baseline p50 (ms)', 'poll interval genstream / baseline (ms)'],
    ...STORES.map((store) => [
      store,
      formatSpread(g.storeP50Ms[store]),
      formatSpread(b.storeP50Ms[store]),
      `${Math.round(g.pollIntervalMs[store].median)} / ${Math.round(b.pollIntervalMs[store].median)}`,
    ]),
  ]);
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const memory = formatTable([
    ['process', 'idle RSS', 'peak RSS (median of runs)', 'highest peak'],
    ...result.resources.map((row) => [
      row.process,
      row.idleRssBytes > 0 ? mib(row.idleRssBytes) : '-',
      `${mib(row.peakRssBytes.median)} ±${(row.peakRssBytes.relativeSpread * 100).toFixed(1)}%`,
      mib(row.maxRssBytes),
    ]),
  ]);
  const servicesTotal = result.resources
    .filter((row) => (SERVICE_NAMES as readonly string[]).includes(row.process))
    .reduce((sum, row) => sum + row.maxRssBytes, 0);
  const pairs = result.pairRatios.map((ratio) => `${ratio.toFixed(2)}x`).join(', ');
  const stages = result.genstreamStages;
  return [
    `End-to-end throughput: N=${settings.requests} requests per run, C=${settings.concurrency} workers, ` +
      `median of ${settings.runs} runs each (±: half the min..max range), alternating.`,
    '',
    comparison,
    '',
    `events/s of each pair of runs, genstream/baseline: ${pairs}.`,
    '',
    'Per store: seen there (MongoDB: write acknowledged) - started, and how often each was checked:',
    stores,
    `genstream before the stores (p50 from publish began): Kafka acknowledged the publish after ` +
      `${formatSpread(stages.publishAckP50Ms)} ms, ContentGenerated read back after ` +
      `${formatSpread(stages.generatedP50Ms)} ms. Baseline handler on its own clock (no polling): ` +
      `${formatSpread(result.baselineHandlerP50Ms)} ms.`,
    '',
    'Resident memory during the measured runs (VmRSS, sampled every ' +
      `${settings.sampleMs} ms; services in genstream runs):`,
    memory,
    `the five services together, highest peaks added: ${mib(servicesTotal)}`,
  ].join('\n');
}

function describeRun(run: RunMeasurement): string {
  const latency = run.latencyMs;
  const extra =
    run.publishMs !== undefined
      ? `, all published in ${(run.publishMs / 1000).toFixed(2)} s`
      : `, handler alone p50 ${Math.round(run.handlerLatencyMs?.p50 ?? 0)} ms`;
  return (
    `${Math.round(run.eventsPerSecond).toLocaleString('en-US')} events/s (${run.requests} in ` +
    `${(run.durationMs / 1000).toFixed(2)} s), latency p50 ${Math.round(latency.p50)} / p95 ` +
    `${Math.round(latency.p95)} / p99 ${Math.round(latency.p99)} ms${extra}`
  );
}

// ---------------------------------------------------------------------------------------------
// Resident memory from /proc

interface WatchedProcess {
  readonly name: string;
  readonly pid: number;
  /** Count its descendants too (not for the bench process: the services are its children). */
  readonly tree: boolean;
}

function processesOf(services: RunningServices): WatchedProcess[] {
  return services.services.map((service) => ({ name: service.name, pid: service.pid, tree: true }));
}

function benchProcessLabel(system: SystemName): string {
  return system === 'genstream'
    ? 'bench process in genstream runs (publisher + poller)'
    : 'bench process in baseline runs (the handler + poller)';
}

/** Samples VmRSS of each process and its descendants every `everyMs`; keeps the peak of each. */
class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly peaks = new Map<string, number>();

  constructor(
    private readonly processes: readonly WatchedProcess[],
    private readonly everyMs: number,
  ) {}

  start(): void {
    let trees = descendants(this.processes);
    let samples = 0;
    const sample = () => {
      // Services start no children in practice; the tree is re-read now and then all the same.
      if (++samples % 10 === 0) trees = descendants(this.processes);
      for (const watched of this.processes) {
        const bytes = (trees.get(watched.pid) ?? [watched.pid]).reduce((sum, pid) => sum + vmRss(pid), 0);
        this.peaks.set(watched.name, Math.max(this.peaks.get(watched.name) ?? 0, bytes));
      }
    };
    sample();
    this.timer = setInterval(sample, this.everyMs);
  }

  stop(): ReadonlyMap<string, number> {
    clearInterval(this.timer);
    this.timer = undefined;
    return this.peaks;
  }
}

/** Resident memory of each process (with its descendants) now. */
function sampleRss(processes: readonly WatchedProcess[]): Map<string, number> {
  const trees = descendants(processes);
  return new Map(
    processes.map((watched) => [
      watched.name,
      (trees.get(watched.pid) ?? [watched.pid]).reduce((sum, pid) => sum + vmRss(pid), 0),
    ]),
  );
}

/** Each root pid with all its descendants (itself first), from the parent pids in /proc. */
function descendants(roots: readonly WatchedProcess[]): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    } catch {
      // exited meanwhile
    }
  }
  return new Map(
    roots.map(({ pid, tree: withDescendants }) => {
      if (!withDescendants) return [pid, [pid]];
      const tree: number[] = [];
      const pending = [pid];
      while (pending.length > 0) {
        const next = pending.pop()!;
        tree.push(next);
        pending.push(...(children.get(next) ?? []));
      }
      return [pid, tree];
    }),
  );
}

function vmRss(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------
// Clean-up and helpers

/** Topics and consumer groups of this run's services (everything under the prefix). */
async function deleteKafkaLeftovers(admin: Admin, prefix: string): Promise<void> {
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  const { groups } = await admin.listGroups();
  const groupIds = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
  if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => undefined);
}

function recordOf<T>(value: (store: StoreName) => T): Record<StoreName, T> {
  return Object.fromEntries(STORES.map((store) => [store, value(store)])) as Record<StoreName, T>;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${name} must be an integer >= 0, got ${value}`);
  return value;
}
