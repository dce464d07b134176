// Per-writer batching (issue "Benchmarks", part 2): each writer's records/s through its real
// repository, called the way the service calls it (one batch of up to 500, the Kafka runtime's
// maxBatchRecords) and, as the baseline, the same repository called with batches of one: one store
// call per record, what a consumer handling records one by one (eachMessage) would do. Both paths
// write the same events into the same empty store, in an isolated schema / database / key prefix
// removed afterwards; runs alternate the two paths and are summarized as median ± spread.
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { ResponseCacheRepository, type GeneratedTtls } from '@genstream/cache';
import { DocumentRepository } from '@genstream/document-writer';
import { VectorIndexRepository, embeddingText, type VectorItem } from '@genstream/embedding-indexer';
import { LocalHashedEmbedder } from '@genstream/embeddings';
import type { CacheHit, CacheScope, ContentGenerated } from '@genstream/events';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import { ContentRepository, migrate } from '@genstream/metadata-writer';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { spreadOf, type Spread } from './stats.js';
import { SyntheticCorpus, type MachineLoad, type Say } from './vectors.js';

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

/** The cache-updater's defaults (CACHE_TTL_SECONDS, USER_SUMMARY_TTL_SECONDS, REQUEST_STATUS_TTL_SECONDS). */
const CACHE_TTLS: GeneratedTtls = { ttlSeconds: 3_600, summaryTtlSeconds: 86_400, statusTtlSeconds: 86_400 };

/** One writer under test: its repository, an empty store before each measurement, removal at the end. */
interface WriterTarget<Item> {
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

export async function benchWriters(options: WritersOptions): Promise<WritersResult> {
  const events = positive('events', options.events ?? 5_000);
  const batchSize = positive('batchSize', options.batchSize ?? 500);
  const runs = positive('runs', options.runs ?? 3);
  const seed = options.seed ?? 1;
  const chosen = options.writers ?? WRITER_NAMES;
  const say = options.say ?? (() => {});
  const signal = options.signal;
  const warmupEvents = Math.min(events, batchSize);
  const startedAt = new Date();
  const loadAverageAtStart = loadavg();
  // Lower case, digits and underscores: valid unquoted as a PostgreSQL schema and a MongoDB database.
  const isolation = `bench_writers_${process.pid}_${randomUUID().slice(0, 8)}`;

  say(`generating ${events.toLocaleString('en-US')} ContentGenerated events`);
  const corpus = new SyntheticCorpus(seed);
  const contents = Array.from({ length: events }, () => realisticEvent(corpus));

  const results: WriterResult[] = [];
  for (const name of chosen) {
    signal?.throwIfAborted();
    const target = await openTarget(name, contents, isolation, options, say);
    try {
      say(`${name}: warming up with ${warmupEvents} events on each path (not measured)`);
      await target.reset();
      await writeAll(target, target.items.slice(0, warmupEvents), batchSize, signal);
      await target.reset();
      await writeAll(target, target.items.slice(0, warmupEvents), 1, signal);

      const batched: number[] = [];
      const perRecord: number[] = [];
      for (let run = 1; run <= runs; run++) {
        // Alternate which path goes first, so that neither always follows the other.
        const order = run % 2 === 1 ? [batchSize, 1] : [1, batchSize];
        for (const size of order) {
          await target.reset();
          const seconds = await writeAll(target, target.items, size, signal);
          const rate = events / seconds;
          (size === 1 ? perRecord : batched).push(rate);
          say(
            `${name}: run ${run}/${runs}, ${size === 1 ? 'one record per call' : `batches of ${size}`}: ` +
              `${Math.round(rate).toLocaleString('en-US')} records/s (${seconds.toFixed(2)} s)`,
          );
        }
      }
      const batchedSpread = spreadOf(batched);
      const perRecordSpread = spreadOf(perRecord);
      results.push({
        writer: name,
        service: target.service,
        method: target.method,
        store: target.store,
        roundTrip: `batched: ${target.roundTrip(batchSize)}; per record: ${target.roundTrip(1)}`,
        batched: { recordsPerSecond: batchedSpread, samples: batched, calls: Math.ceil(events / batchSize) },
        perRecord: { recordsPerSecond: perRecordSpread, samples: perRecord, calls: events },
        ratio: batchedSpread.median / perRecordSpread.median,
        runRatios: spreadOf(batched.map((rate, i) => rate / perRecord[i]!)),
      });
    } finally {
      say(`${name}: removing its isolated store`);
      await target.remove();
    }
  }
  return {
    part: 'writers',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    settings: {
      events,
      batchSize,
      runs,
      warmupEvents,
      seed,
      isolation: `PostgreSQL schema, MongoDB database and Redis key prefix named ${isolation}, removed after`,
      order:
        'each run measures both paths back to back, batched first in odd runs, one by one first in even runs; the store is emptied before each',
    },
    writers: results,
    machine: { cpus: availableParallelism(), loadAverageAtStart, loadAverageAtEnd: loadavg() },
  };
}

/** Writes every item, `size` per repository call, one call in flight; returns the seconds taken. */
async function writeAll<Item>(
  target: WriterTarget<Item>,
  items: readonly Item[],
  size: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  let stored = 0;
  const started = performance.now();
  for (let start = 0; start < items.length; start += size) {
    signal?.throwIfAborted();
    stored += await target.write(items.slice(start, start + size));
  }
  const seconds = (performance.now() - started) / 1000;
  if (stored !== items.length) {
    throw new Error(`${target.name}: ${stored} of ${items.length} records stored; the measurement is void`);
  }
  return seconds;
}

async function openTarget(
  name: WriterName,
  events: readonly ContentGenerated[],
  isolation: string,
  options: WritersOptions,
  say: Say,
): Promise<WriterTarget<unknown>> {
  switch (name) {
    case 'postgres':
      return postgresTarget(events, isolation, options.databaseUrl);
    case 'mongo':
      return mongoTarget(events, isolation, options.mongoUrl);
    case 'redis':
      return redisTarget(events, isolation, options.redisUrl);
    case 'vectors':
      return vectorTarget(events, isolation, options.redisUrl, say);
  }
}

async function postgresTarget(
  events: readonly ContentGenerated[],
  schema: string,
  url: string,
): Promise<WriterTarget<ContentGenerated>> {
  const admin = new pg.Client({ connectionString: url, application_name: 'bench-writers' });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  // The service's own migrations, into the bench schema (search_path), so the tables and indexes
  // are exactly those the metadata-writer writes to.
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: 'bench-writers',
    options: `-c search_path=${schema}`,
  });
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
    throw error;
  }
  const repository = new ContentRepository(pool);
  return {
    name: 'postgres',
    service: 'metadata-writer',
    method: 'ContentRepository.saveBatch',
    store: 'PostgreSQL',
    roundTrip: (records) =>
      `1 transaction (BEGIN, users/models upsert, ${records === 1 ? 'single-row' : 'multi-row'} INSERT ... unnest, COMMIT) per ${records === 1 ? 'record' : `${records} records`}`,
    items: events,
    write: async (batch) => (await repository.saveBatch(batch)).inserted,
    reset: async () => {
      await pool.query('TRUNCATE ai_generated_content, users, models RESTART IDENTITY');
    },
    remove: async () => {
      await pool.end().catch(() => undefined);
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

async function mongoTarget(
  events: readonly ContentGenerated[],
  databaseName: string,
  url: string,
): Promise<WriterTarget<ContentGenerated>> {
  const client = new MongoClient(url, { appName: 'bench-writers', serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const database = client.db(databaseName);
  const repository = new DocumentRepository(client, { databaseName });
  return {
    name: 'mongo',
    service: 'document-writer',
    method: 'DocumentRepository.saveBatch',
    store: 'MongoDB wire (FerretDB)',
    roundTrip: (records) =>
      records === 1 ? '1 insertMany of 1 document' : `1 unordered insertMany of ${records} documents`,
    items: events,
    write: async (batch) => {
      const result = await repository.saveBatch(batch);
      if (result.failed.length > 0) throw new Error(`mongo refused: ${result.failed[0]!.error.message}`);
      return result.inserted;
    },
    // A fresh collection with the service's indexes, as the document-writer creates it at start.
    reset: async () => {
      await database
        .collection('aiGenerated')
        .drop()
        .catch(() => false);
      await repository.ensureIndexes();
    },
    remove: async () => {
      await database.dropDatabase().catch(() => undefined);
      await client.close();
    },
  };
}

async function redisTarget(
  events: readonly ContentGenerated[],
  isolation: string,
  url: string,
): Promise<WriterTarget<ContentGenerated>> {
  const redis = new Redis(url, { lazyConnect: true, connectionName: 'bench-writers' });
  await redis.connect();
  const keyPrefix = `${isolation}:`;
  const repository = new ResponseCacheRepository(redis, { keyPrefix });
  return {
    name: 'redis',
    service: 'cache-updater',
    method: 'ResponseCacheRepository.writeGenerated',
    store: 'Redis',
    roundTrip: (records) =>
      records === 1
        ? '1 pipeline of up to 3 SETs (cache entry, status, user summary)'
        : `1 pipeline of ~${2 * records} SETs plus one summary per user`,
    items: events,
    write: async (batch) => (await repository.writeGenerated(batch, CACHE_TTLS)).statuses,
    reset: () => deleteByPrefix(redis, keyPrefix),
    remove: async () => {
      await deleteByPrefix(redis, keyPrefix);
      redis.disconnect();
    },
  };
}

async function vectorTarget(
  events: readonly ContentGenerated[],
  isolation: string,
  url: string,
  say: Say,
): Promise<WriterTarget<VectorItem>> {
  const redis = new Redis(url, { lazyConnect: true, connectionName: 'bench-writers' });
  await redis.connect();
  const keyPrefix = `${isolation}:`;
  const repository = new VectorIndexRepository(redis, { keyPrefix, quantization: 'Q8' });
  // Embedded once here, so only the store is measured: the embedding-indexer's own text and attributes.
  const started = performance.now();
  const vectors = await new LocalHashedEmbedder().embed(events.map(embeddingText));
  say(
    `vectors: ${events.length} events embedded in ${((performance.now() - started) / 1000).toFixed(1)} s (not measured)`,
  );
  const items = events.map((event, i): VectorItem => ({
    contentId: event.contentId,
    vector: vectors[i]!,
    attributes: {
      userId: event.userId,
      model: event.modelUsed,
      generatedAt: event.generatedAt,
      title: event.title,
    },
    output: event.output,
  }));
  return {
    name: 'vectors',
    service: 'embedding-indexer',
    method: 'VectorIndexRepository.addBatch',
    store: 'Redis vector set (Q8)',
    roundTrip: (records) =>
      records === 1 ? '1 pipeline: VADD + HSET' : `1 pipeline of ${records} VADD + ${records} HSET`,
    items,
    write: async (batch) => {
      const result = await repository.addBatch(batch);
      if (result.failed.length > 0) throw new Error(`vector refused: ${result.failed[0]!.error.message}`);
      return result.added;
    },
    reset: () => deleteByPrefix(redis, keyPrefix),
    remove: async () => {
      await deleteByPrefix(redis, keyPrefix);
      redis.disconnect();
    },
  };
}

async function deleteByPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

const MODELS = [
  { requested: 'local', used: 'local-extractive-v1' },
  { requested: 'gpt-4o-mini', used: 'gpt-4o-mini-2024-07-18' },
  { requested: 'llama-3.1-8b', used: 'llama-3.1-8b-instruct' },
] as const;
const TENANTS = ['acme', 'globex', 'initech', null] as const;

/**
 * A ContentGenerated as production would carry it: varied titles, prompts and outputs (outputs of
 * 3-8 sentences), a few thousand users with some much more active than others, three models,
 * mostly fresh answers (NONE) with some cache hits, generated in the last minutes (so the response
 * cache entry is written, not skipped as expired).
 */
function realisticEvent(corpus: SyntheticCorpus): ContentGenerated {
  const topic = corpus.topic();
  const model = corpus.pick(MODELS);
  const u = corpus.random();
  const userId = 1 + Math.floor(u * u * 5_000);
  const prompt = `${corpus.pick(['Write', 'Summarize', 'Draft', 'Explain'])}: ${corpus.text(1, 3, topic)}`;
  const output = corpus.text(3, 8, topic);
  const roll = corpus.random();
  const cacheHit: CacheHit = roll < 0.85 ? 'NONE' : roll < 0.97 ? 'EXACT' : 'SEMANTIC';
  const scopeRoll = corpus.random();
  const cacheScope: CacheScope = scopeRoll < 0.8 ? 'USER' : scopeRoll < 0.95 ? 'TENANT' : 'BYPASS';
  const latencyMs = cacheHit === 'NONE' ? corpus.int(300, 4_000) : corpus.int(2, 20);
  const requestedAt = Date.now() - corpus.int(0, 10 * 60_000);
  const request = aGenerationRequested({
    userId,
    title: corpus.title(topic),
    prompt,
    model: model.requested,
    requestedAt,
    tenant: corpus.pick(TENANTS),
    cacheScope,
    parameters: { temperature: corpus.pick([0.2, 0.7, 1]), maxTokens: 512, topP: null, systemPrompt: null },
  });
  return aContentGenerated(
    {
      modelUsed: model.used,
      output,
      cacheHit,
      generatedAt: requestedAt + latencyMs,
      latencyMs,
      usage: {
        promptTokens: Math.round(prompt.length / 4),
        completionTokens: Math.round(output.length / 4),
      },
    },
    request,
  );
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive integer, not ${value}`);
  }
  return value;
}
