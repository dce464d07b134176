// Vector retrieval in a Redis 8 vector set (issue "Benchmarks", part 4): N vectors of the local
// embedder's dimension added with VADD in pipelines (Q8 and SETATTR, as the embedding-indexer adds
// them), then Q queries with VSIM ... COUNT k: per-query latency, one in flight, and recall@k against
// VSIM ... TRUTH (the server's exact linear scan over the same stored vectors) and against an exact
// FP32 scan done here in Node. The TRUTH query is the baseline: its latency is measured on the same
// queries in the same invocation, and the ratio is reported.
//
// The vectors are real embeddings: LocalHashedEmbedder over synthetic texts built from a topical
// vocabulary (SyntheticCorpus below), so they have the cluster structure of real content. Uniform
// random unit vectors in 256 dimensions have none, and an HNSW graph over them inserts several
// times slower and answers differently: they would measure the wrong thing.
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { LocalHashedEmbedder } from '@genstream/embeddings';
import { Redis } from 'ioredis';
import { latencyPercentiles, spreadOf, type Spread } from './stats.js';

export type Say = (message: string) => void;

export interface MachineLoad {
  readonly cpus: number;
  /** os.loadavg() (1, 5, 15 minutes) when the benchmark started and when it ended. */
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
}

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

const DIMENSION = 256; // LocalHashedEmbedder's default, the embedding-indexer's LOCAL_EMBEDDING_DIMENSION
const PERTURBATION = 0.03; // per-component noise sigma on unit vectors: cosine to the original ≈ 0.9

export async function benchVectors(options: VectorsOptions): Promise<VectorsResult> {
  const n = positive('vectors', options.vectors ?? 100_000);
  const queryCount = positive('queries', options.queries ?? 200);
  const k = positive('k', options.k ?? 10);
  const pipelineSize = positive('pipeline', options.pipeline ?? 1_000);
  const builds = positive('builds', options.builds ?? 1);
  const passes = positive('passes', options.passes ?? 3);
  const seed = options.seed ?? 1;
  const exactCheck = options.exactCheck ?? true;
  const say = options.say ?? (() => {});
  const signal = options.signal;
  if (options.ef !== undefined) positive('ef', options.ef);
  const startedAt = new Date();
  const loadAverageAtStart = loadavg();
  const key = `bench:vectors:${process.pid}:${randomUUID()}`;

  const redis = new Redis(options.redisUrl, { lazyConnect: true, connectionName: 'bench-vectors' });
  await redis.connect();
  try {
    const redisVersion = infoField(await redis.info('server'), 'redis_version') ?? 'unknown';
    const embedder = new LocalHashedEmbedder({ dimension: DIMENSION });
    const corpus = new SyntheticCorpus(seed);

    // 1. The stored vectors: N texts, embedded once here (timed on its own, never part of VADD/s).
    say(
      `embedding ${n.toLocaleString('en-US')} synthetic texts with LocalHashedEmbedder (${DIMENSION} dimensions)`,
    );
    const matrix = new Float32Array(n * DIMENSION);
    const names: string[] = [];
    const attributes: string[] = [];
    const embedStarted = performance.now();
    const chunk = 5_000;
    for (let start = 0; start < n; start += chunk) {
      signal?.throwIfAborted();
      const texts: string[] = [];
      for (let i = start; i < Math.min(n, start + chunk); i++) {
        const title = corpus.title();
        texts.push(`${title}\n${corpus.text()}`);
        names.push(randomUUID());
        attributes.push(
          JSON.stringify({
            userId: 1 + Math.floor(corpus.random() * 50_000),
            model: 'local-extractive-v1',
            generatedAt: Date.now(),
            title,
          }),
        );
      }
      const vectors = await embedder.embed(texts);
      vectors.forEach((vector, i) => matrix.set(vector, (start + i) * DIMENSION));
    }
    const embedSeconds = (performance.now() - embedStarted) / 1000;
    say(
      `embedded in ${embedSeconds.toFixed(1)} s (${Math.round(n / embedSeconds).toLocaleString('en-US')} texts/s)`,
    );
    const row = (i: number) => matrix.subarray(i * DIMENSION, (i + 1) * DIMENSION);
    const blob = (vector: Float32Array) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

    // 2. The queries: perturbed copies of stored vectors (a near-duplicate is asked for) and fresh
    // texts from the same corpus (a new question about a known topic).
    const perturbedCount = Math.ceil(queryCount / 2);
    const queries: { vector: Float32Array; kind: 'perturbed' | 'fresh' }[] = [];
    for (let q = 0; q < perturbedCount; q++) {
      const source = row(Math.floor(corpus.random() * n));
      const noisy = new Float32Array(DIMENSION);
      for (let d = 0; d < DIMENSION; d++) noisy[d] = source[d]! + PERTURBATION * corpus.gaussian();
      queries.push({ vector: normalized(noisy), kind: 'perturbed' });
    }
    const freshTexts = Array.from(
      { length: queryCount - perturbedCount },
      () => `${corpus.title()}\n${corpus.text()}`,
    );
    for (const vector of await embedder.embed(freshTexts)) queries.push({ vector, kind: 'fresh' });

    const forksBefore = Number(infoField(await redis.info('stats'), 'total_forks') ?? 0);

    // 3. VADD in pipelines, one pipeline in flight, as many builds as asked (each from empty).
    const buildRates: number[] = [];
    const segmentRates: number[] = [];
    let usedMemoryDeltaBytes = 0;
    let redisCpuDuringBuild = { cpuSeconds: 0, wallSeconds: 0 };
    for (let build = 1; build <= builds; build++) {
      await redis.unlink(key);
      const usedBefore = Number(infoField(await redis.info('memory'), 'used_memory') ?? 0);
      say(
        `build ${build}/${builds}: VADD ${n.toLocaleString('en-US')} vectors (FP32 blobs, Q8, SETATTR) in pipelines of ${pipelineSize}`,
      );
      const segment = Math.max(pipelineSize, Math.ceil(n / 10 / pipelineSize) * pipelineSize);
      const cpuBefore = await redisCpuSeconds(redis);
      const started = performance.now();
      let segmentStarted = started;
      let segmentStart = 0;
      for (let start = 0; start < n; start += pipelineSize) {
        signal?.throwIfAborted();
        const end = Math.min(n, start + pipelineSize);
        const pipeline = redis.pipeline();
        for (let i = start; i < end; i++) {
          pipeline.vadd(key, 'FP32', blob(row(i)), names[i]!, 'Q8', 'SETATTR', attributes[i]!);
        }
        const replies = await pipeline.exec();
        const failed = replies?.find(([error]) => error !== null);
        if (replies === null || failed !== undefined) {
          throw new Error(`VADD failed: ${failed?.[0]?.message ?? 'the pipeline was not run'}`);
        }
        if (end - segmentStart >= segment || end === n) {
          const now = performance.now();
          const rate = (end - segmentStart) / ((now - segmentStarted) / 1000);
          if (build === builds) segmentRates.push(rate);
          say(
            `  ${end.toLocaleString('en-US').padStart(9)} added, ` +
              `${Math.round(rate).toLocaleString('en-US')} VADD/s over the last ${(end - segmentStart).toLocaleString('en-US')}`,
          );
          segmentStart = end;
          segmentStarted = now;
        }
      }
      const seconds = (performance.now() - started) / 1000;
      buildRates.push(n / seconds);
      redisCpuDuringBuild = { cpuSeconds: (await redisCpuSeconds(redis)) - cpuBefore, wallSeconds: seconds };
      usedMemoryDeltaBytes = Number(infoField(await redis.info('memory'), 'used_memory') ?? 0) - usedBefore;
      say(
        `build ${build}/${builds}: ${Math.round(n / seconds).toLocaleString('en-US')} VADD/s (${seconds.toFixed(1)} s)`,
      );
    }
    const cardinality = await redis.vcard(key);
    if (cardinality !== n) throw new Error(`the set holds ${cardinality} elements, expected ${n}`);
    const memoryUsageBytes = await memoryUsage(redis, key);

    // 4. Queries, sequential (one in flight): each pass runs every query approximately and exactly
    // (TRUTH), the order of the two alternating from pass to pass.
    const efArgs = options.ef === undefined ? [] : ['EF', options.ef];
    const vsim = (vector: Float32Array, truth: boolean) =>
      redis.call(
        'VSIM',
        key,
        'FP32',
        blob(vector),
        'WITHSCORES',
        'COUNT',
        k,
        ...efArgs,
        ...(truth ? ['TRUTH'] : []),
      );
    const vsimPasses: number[][] = [];
    const truthPasses: number[][] = [];
    let approxResults: Scored[][] = [];
    let truthResults: Scored[][] = [];
    for (let pass = 1; pass <= passes; pass++) {
      const order: boolean[] = pass % 2 === 1 ? [false, true] : [true, false];
      for (const truth of order) {
        const latencies: number[] = [];
        const results: Scored[][] = [];
        for (const query of queries) {
          signal?.throwIfAborted();
          const started = performance.now();
          const reply = await vsim(query.vector, truth);
          latencies.push(performance.now() - started);
          results.push(scored(reply));
        }
        const p = latencyPercentiles(latencies);
        say(
          `pass ${pass}/${passes}: VSIM COUNT ${k}${truth ? ' TRUTH' : ''}: ` +
            `p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms over ${queries.length} queries`,
        );
        if (truth) {
          truthPasses.push(latencies);
          if (pass === 1) truthResults = results;
        } else {
          vsimPasses.push(latencies);
          if (pass === 1) approxResults = results;
        }
      }
    }
    const redisForksDuringRun =
      Number(infoField(await redis.info('stats'), 'total_forks') ?? 0) - forksBefore;

    // 5. Recall.
    const kinds = queries.map((query) => query.kind);
    const ids = (results: readonly Scored[]) => results.map(([name]) => name);
    const vsimVsTruth = recallOf(kinds, (q) => overlap(ids(approxResults[q]!), ids(truthResults[q]!), k));
    const vsimVsTruthTieAware = recallOf(kinds, (q) =>
      tieAwareOverlap(approxResults[q]!, truthResults[q]!, k),
    );
    let vsimVsExactFp32: RecallFigures | null = null;
    let truthVsExactFp32: RecallFigures | null = null;
    if (exactCheck) {
      say(`exact FP32 scan in Node: ${queries.length} queries × ${n.toLocaleString('en-US')} vectors`);
      const scanStarted = performance.now();
      const exact = queries.map((query) => exactTopK(matrix, n, query.vector, k).map((i) => names[i]!));
      say(`exact scan done in ${((performance.now() - scanStarted) / 1000).toFixed(1)} s`);
      vsimVsExactFp32 = recallOf(kinds, (q) => overlap(ids(approxResults[q]!), exact[q]!, k));
      truthVsExactFp32 = recallOf(kinds, (q) => overlap(ids(truthResults[q]!), exact[q]!, k));
    }

    const vsimFigures = latencyFigures(vsimPasses);
    const truthFigures = latencyFigures(truthPasses);
    return {
      part: 'vectors',
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      settings: {
        vectors: n,
        dimension: DIMENSION,
        quantization: 'Q8',
        attributes: 'SETATTR JSON {userId, model, generatedAt, title}, as the embedding-indexer writes',
        queries: queries.length,
        perturbedQueries: perturbedCount,
        freshQueries: queries.length - perturbedCount,
        k,
        pipeline: pipelineSize,
        builds,
        passes,
        ef: options.ef ?? 'server default',
        seed,
        vectorSource:
          'LocalHashedEmbedder over synthetic texts (title + 2-5 sentences from 16 topical vocabularies ' +
          'plus general words, seeded); perturbed queries add Gaussian noise (cosine ≈ 0.9 to a stored vector)',
      },
      embedding: { texts: n, seconds: embedSeconds, textsPerSecond: n / embedSeconds },
      vadd: { perSecond: spreadOf(buildRates), segmentRates, segmentSpread: spreadOf(segmentRates) },
      memory: {
        memoryUsageBytes,
        usedMemoryDeltaBytes,
        bytesPerVector: (memoryUsageBytes ?? usedMemoryDeltaBytes) / n,
      },
      vsim: vsimFigures,
      truth: truthFigures,
      truthOverVsimP50: truthFigures.p50Ms.median / vsimFigures.p50Ms.median,
      recall: { vsimVsTruth, vsimVsTruthTieAware, vsimVsExactFp32, truthVsExactFp32 },
      redisForksDuringRun,
      redisCpuDuringBuild,
      redisVersion,
      machine: { cpus: availableParallelism(), loadAverageAtStart, loadAverageAtEnd: loadavg() },
    };
  } finally {
    say(`deleting ${key}`);
    await redis.unlink(key).catch(() => undefined);
    redis.disconnect();
  }
}

type Scored = [name: string, score: number];

/** VSIM ... WITHSCORES: a flat [name, score, ...] list (RESP2). */
function scored(reply: unknown): Scored[] {
  if (!Array.isArray(reply)) throw new Error(`unexpected VSIM reply: ${JSON.stringify(reply)}`);
  const pairs: Scored[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([String(reply[i]), Number(reply[i + 1])]);
  return pairs;
}

function overlap(found: readonly string[], reference: readonly string[], k: number): number {
  const wanted = new Set(reference.slice(0, k));
  return found.slice(0, k).filter((name) => wanted.has(name)).length / Math.min(k, reference.length || k);
}

/** A found element outside the reference top k that scores as high as its k-th counts as found: a tie. */
function tieAwareOverlap(found: readonly Scored[], reference: readonly Scored[], k: number): number {
  if (reference.length === 0) return 0;
  const wanted = new Set(reference.slice(0, k).map(([name]) => name));
  const kth = reference[Math.min(k, reference.length) - 1]![1];
  const hits = found.slice(0, k).filter(([name, score]) => wanted.has(name) || score >= kth - 1e-9).length;
  return Math.min(hits, k) / Math.min(k, reference.length);
}

function recallOf(kinds: readonly ('perturbed' | 'fresh')[], recallAt: (q: number) => number): RecallFigures {
  const values = kinds.map((_, q) => recallAt(q));
  const mean = (kind?: 'perturbed' | 'fresh') => {
    const chosen = values.filter((_, q) => kind === undefined || kinds[q] === kind);
    return chosen.length === 0 ? 0 : chosen.reduce((sum, value) => sum + value, 0) / chosen.length;
  };
  return { all: mean(), perturbed: mean('perturbed'), fresh: mean('fresh') };
}

function latencyFigures(passes: readonly number[][]): LatencyFigures {
  const percentiles = passes.map((latencies) => latencyPercentiles(latencies));
  return {
    p50Ms: spreadOf(percentiles.map((p) => p.p50)),
    p99Ms: spreadOf(percentiles.map((p) => p.p99)),
    queriesPerSecond: spreadOf(passes.map((latencies) => latencies.length / (sum(latencies) / 1000))),
  };
}

/** Indices of the k rows of `matrix` (unit vectors) with the highest dot product with `query`, best first. */
function exactTopK(matrix: Float32Array, rows: number, query: Float32Array, k: number): number[] {
  const best: { index: number; score: number }[] = [];
  let floor = -Infinity;
  for (let r = 0; r < rows; r++) {
    const base = r * DIMENSION;
    // Four running sums: independent additions the CPU can overlap (DIMENSION is a multiple of 4).
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (let i = 0; i < DIMENSION; i += 4) {
      a += matrix[base + i]! * query[i]!;
      b += matrix[base + i + 1]! * query[i + 1]!;
      c += matrix[base + i + 2]! * query[i + 2]!;
      d += matrix[base + i + 3]! * query[i + 3]!;
    }
    const dot = a + b + c + d;
    if (best.length < k || dot > floor) {
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < dot) at--;
      best.splice(at, 0, { index: r, score: dot });
      if (best.length > k) best.pop();
      floor = best[best.length - 1]!.score;
    }
  }
  return best.map((entry) => entry.index);
}

async function memoryUsage(redis: Redis, key: string): Promise<number | null> {
  try {
    const reply = await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', 0);
    return typeof reply === 'number' ? reply : null;
  } catch {
    return null;
  }
}

/** User plus system CPU seconds of the Redis process, every thread (not its snapshot children). */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  return Number(infoField(info, 'used_cpu_user') ?? 0) + Number(infoField(info, 'used_cpu_sys') ?? 0);
}

function infoField(info: string, field: string): string | undefined {
  const line = info.split(/\r?\n/).find((candidate) => candidate.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

function normalized(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  const scale = 1 / Math.sqrt(norm);
  return vector.map((value) => value * scale);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Synthetic content: varied texts with topical structure, reproducible from a seed.

const TOPICS: readonly (readonly string[])[] = [
  'kafka consumer producer partition offset broker topic replication lag throughput retention compaction rebalance commit schema avro serializer idempotent ordering backpressure batch linger acks leader follower cluster stream event segment',
  'postgres index query planner vacuum transaction isolation deadlock lock row table column migration schema replica failover backup restore sequence join aggregate constraint foreign unique btree checkpoint connection pool',
  'redis cache hit miss eviction expiry ttl key invalidation warm cold memory latency stampede lookup hash pipeline shard replica snapshot persistence lru stale freshness',
  'embedding vector similarity cosine neighbor recall precision ranking quantization dimension retrieval semantic relevance dataset training model inference tokenizer prompt context window evaluation benchmark',
  'outage incident alert pager oncall postmortem rollback deploy canary error timeout retry dashboard runbook escalation severity mitigation root cause monitoring uptime degradation status',
  'checkout payment invoice refund order cart shipping customer discount coupon subscription billing card fraud chargeback tax receipt warehouse inventory stock delivery return merchant',
  'campaign newsletter email audience segment conversion funnel landing page headline brand launch announcement social post engagement click subscriber promotion webinar press release',
  'budget forecast revenue quarterly expense margin profit cash flow runway investor board report growth churn cohort pricing cost savings headcount target variance audit',
  'hiring interview candidate onboarding offer recruiter role engineer manager feedback review performance promotion team culture remote office policy benefits training mentor career salary',
  'mobile android ios app release feature roadmap interface design prototype beta store rating crash battery notification screen gesture accessibility tutorial settings',
  'travel flight hotel booking itinerary airport train station luggage passport visa museum beach mountain tour guide reservation layover ticket journey city map',
  'recipe flour sugar butter oven bake dough bread cake chocolate vanilla egg milk whisk simmer garlic onion tomato sauce pasta salad roast spice lemon dinner',
  'garden soil compost seed seedling tomato pepper basil water sunlight prune harvest mulch weed fertilizer greenhouse bloom flower shrub tree bed pest spring',
  'workout running strength stretch recovery sleep nutrition protein hydration heart rate training marathon cycling swim injury physio posture mindfulness stress steps',
  'contract clause agreement liability privacy gdpr consent retention policy audit compliance vendor license terms warranty indemnity breach notice regulator',
  'weather forecast rain storm wind temperature humidity heatwave snow frost drought flood climate emissions solar turbine energy grid carbon season',
].map((words) => words.split(' '));

const GENERAL = (
  'important update team customer week month today next plan result summary detail note question answer request ' +
  'issue improve change review share help support new simple clear short friendly quick detailed overview main ' +
  'first final better faster easier people project goal idea option step process time day year example version ' +
  'good great small large early late open close keep start finish check follow explain describe write list'
).split(' ');

const STOP = 'the a and of to in for with on is that this it our your we you are be as at by from'.split(' ');

const TITLES = [
  'summary',
  'notes',
  'update',
  'guide',
  'checklist',
  'overview',
  'announcement',
  'plan',
  'review',
  'draft',
];

/**
 * Texts with the shape of generated content: a primary topic (sometimes a second one), 2-5
 * sentences of 6-14 words, topic words Zipf-like (a few frequent, many rare), general and stop
 * words mixed in. Seeded (mulberry32): the same seed gives the same texts.
 */
export class SyntheticCorpus {
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Standard normal (Box-Muller). */
  gaussian(): number {
    const u = 1 - this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.random());
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)]!;
  }

  /** A title such as "Partition rebalance checklist". */
  title(topic = this.topic()): string {
    const words = [this.topicWord(topic), this.topicWord(topic), this.pick(TITLES)];
    return words.map((word, i) => (i === 0 ? capitalize(word) : word)).join(' ');
  }

  /** Sentences about one topic, sometimes drifting to a second. */
  text(minSentences = 2, maxSentences = 5, topic = this.topic()): string {
    const second = this.random() < 0.25 ? this.topic() : undefined;
    const sentences: string[] = [];
    for (let s = this.int(minSentences, maxSentences); s > 0; s--) {
      const words: string[] = [];
      for (let w = this.int(6, 14); w > 0; w--) {
        const roll = this.random();
        if (roll < 0.5) words.push(this.topicWord(topic));
        else if (roll < 0.62 && second !== undefined) words.push(this.topicWord(second));
        else if (roll < 0.82) words.push(this.pick(GENERAL));
        else words.push(this.pick(STOP));
      }
      sentences.push(`${capitalize(words.join(' '))}.`);
    }
    return sentences.join(' ');
  }

  topic(): number {
    return Math.floor(this.random() * TOPICS.length);
  }

  private topicWord(topic: number): string {
    const words = TOPICS[topic]!;
    // u² skews towards the first words of the list: a few frequent words, a long tail of rare ones.
    const u = this.random();
    return words[Math.floor(u * u * words.length)]!;
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
