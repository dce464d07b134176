// Vector retrieval in a Redis 8 vector set: N vectors of the local embedder's dimension added with
// VADD in pipelines (Q8 and SETATTR, as the embedding-indexer adds them), then Q queries with VSIM
// ... COUNT k: per-query latency, one in flight, and recall@k against VSIM ... TRUTH (the server's
// exact linear scan over the same stored vectors) and against an exact FP32 scan done here in
// Node. The TRUTH query is the baseline: its latency is measured on the same queries in the same
// invocation, and the ratio is reported. The commands are Redis's own: this bench measures the
// store, not the indexer (writers/ measures the indexer's repository).
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { machineLoad } from '../machine.js';
import { positive } from '../settings.js';
import { spreadOf } from '../stats.js';
import { SyntheticCorpus } from '../synthetic-corpus.js';
import { buildSets } from './build.js';
import { runQueryPasses } from './query-passes.js';
import { recallFigures } from './recall-figures.js';
import { latencyFigures } from './recall.js';
import { infoField, memoryUsage } from './redis-info.js';
import { DIMENSION, type VectorsOptions, type VectorsResult } from './results.js';
import { embedStoredVectors, makeQueries } from './vector-data.js';

export async function benchVectors(options: VectorsOptions): Promise<VectorsResult> {
  const n = positive('vectors', options.vectors ?? 100_000);
  const queryCount = positive('queries', options.queries ?? 200);
  const k = positive('k', options.k ?? 10);
  const pipelineSize = positive('pipeline', options.pipeline ?? 1_000);
  const builds = positive('builds', options.builds ?? 1);
  const passes = positive('passes', options.passes ?? 3);
  const seed = options.seed ?? 1;
  const say = options.say ?? (() => {});
  const { signal, ef } = options;
  if (ef !== undefined) positive('ef', ef);
  const startedAt = new Date();
  const loadAverageAtStart = loadavg();
  const key = `bench:vectors:${process.pid}:${randomUUID()}`;

  const redis = new Redis(options.redisUrl, { lazyConnect: true, connectionName: 'bench-vectors' });
  await redis.connect();
  try {
    const redisVersion = infoField(await redis.info('server'), 'redis_version') ?? 'unknown';
    const corpus = new SyntheticCorpus(seed);
    const stored = await embedStoredVectors(n, corpus, say, signal);
    const queries = await makeQueries(stored, queryCount, corpus);
    const forksBefore = await forks(redis);
    const built = await buildSets(redis, stored, { key, builds, pipelineSize, say, signal });
    const cardinality = await redis.vcard(key);
    if (cardinality !== n) throw new Error(`the set holds ${cardinality} elements, expected ${n}`);
    const memoryUsageBytes = await memoryUsage(redis, key);
    const figures = await runQueryPasses(redis, queries, { key, k, passes, ef, say, signal });
    const redisForksDuringRun = (await forks(redis)) - forksBefore;
    const recall = recallFigures(stored, queries, figures, k, options.exactCheck ?? true, say);
    const vsim = latencyFigures(figures.vsimPasses);
    const truth = latencyFigures(figures.truthPasses);
    const perturbedQueries = queries.filter((query) => query.kind === 'perturbed').length;
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
        perturbedQueries,
        freshQueries: queries.length - perturbedQueries,
        k,
        pipeline: pipelineSize,
        builds,
        passes,
        ef: ef ?? 'server default',
        seed,
        vectorSource:
          'LocalHashedEmbedder over synthetic texts (title + 2-5 sentences from 16 topical vocabularies ' +
          'plus general words, seeded); perturbed queries add Gaussian noise (cosine ≈ 0.9 to a stored vector)',
      },
      embedding: { texts: n, seconds: stored.embedSeconds, textsPerSecond: n / stored.embedSeconds },
      vadd: {
        perSecond: spreadOf(built.buildRates),
        segmentRates: built.segmentRates,
        segmentSpread: spreadOf(built.segmentRates),
      },
      memory: {
        memoryUsageBytes,
        usedMemoryDeltaBytes: built.usedMemoryDeltaBytes,
        bytesPerVector: (memoryUsageBytes ?? built.usedMemoryDeltaBytes) / n,
      },
      vsim,
      truth,
      truthOverVsimP50: truth.p50Ms.median / vsim.p50Ms.median,
      recall,
      redisForksDuringRun,
      redisCpuDuringBuild: built.redisCpuDuringBuild,
      redisVersion,
      machine: machineLoad(loadAverageAtStart),
    };
  } finally {
    say(`deleting ${key}`);
    await redis.unlink(key).catch(() => undefined);
    redis.disconnect();
  }
}

/** Forks (BGSAVE snapshots) Redis has started: each competes for the cores. */
async function forks(redis: Redis): Promise<number> {
  return Number(infoField(await redis.info('stats'), 'total_forks') ?? 0);
}
