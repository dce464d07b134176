import { loadConfig } from '@genstream/config';
import { LocalHashedEmbedder } from '@genstream/embeddings';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import { OffsetsClient, silentLogger } from '@genstream/kafka';
import { eventually, startTestService, testApiKey, testTopics } from '@genstream/service-testing';
import { serverEnv, testRedis } from '@genstream/testing';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { SERVICE_NAME, configSchema, type Config } from '../src/config.js';
import { EmbeddingIndexerModule } from '../src/embedding-indexer.module.js';
import { Reindexer } from '../src/reindex/reindexer.js';
import { VectorIndexRepository } from '../src/repositories/vector-index-repository.js';
import { VectorSetAliasRepository } from '../src/repositories/vector-set-alias.repository.js';

const contents = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    aContentGenerated(
      { output: `Notes ${tag} ${i}: a mountain bike with disc brakes, tyre ${i % 7} and a bell.` },
      aGenerationRequested({ title: `${tag} ${i}`, userId: 1 + (i % 3) }),
    ),
  );

/** A reindex as the CLI wires it, on the test's topics and key prefix, its lines kept. */
function reindexer(
  config: Config,
  redis: Redis,
  offsets: OffsetsClient,
  dimension: number,
  lines: string[],
  afterBatch = () => {},
) {
  const reindex: Reindexer = new Reindexer({
    config,
    embedder: new LocalHashedEmbedder({ dimension }),
    spec: `local:${dimension}`,
    batchSize: 10,
    alias: new VectorSetAliasRepository(redis, {
      keyPrefix: config.REDIS_KEY_PREFIX,
      vectorSet: config.VECTOR_SET,
    }),
    indexOf: (set) => {
      const index = new VectorIndexRepository(redis, { keyPrefix: config.REDIS_KEY_PREFIX, vectorSet: set });
      return {
        addBatch: async (items) => {
          const result = await index.addBatch(items);
          afterBatch();
          return result;
        },
      };
    },
    offsets,
    logger: silentLogger,
    say: (line) => lines.push(line),
    progress: (line) => lines.push(line),
    progressEveryMs: 0,
  });
  return reindex;
}

async function elementsOf(redis: Redis, key: string): Promise<string[]> {
  if ((await redis.exists(key)) === 0) return [];
  const members = (await redis.call('VRANDMEMBER', key, '1000000')) as string[];
  return members.sort();
}

describe('reindex into a versioned vector set (real Kafka, real Redis)', () => {
  it('rebuilds from the log while the live indexer runs, resumes when stopped, switches search, drops the old set', async () => {
    await using redis = await testRedis('ei_reindex');
    await using kafka = await testTopics('ei_reindex');
    const config = loadConfig(configSchema, {
      ...kafka.env,
      REDIS_URL: serverEnv().REDIS_URL,
      REDIS_KEY_PREFIX: redis.prefix,
      PORT: '0',
    });
    const apiKey = await testApiKey(redis);
    await using service = await startTestService({
      name: SERVICE_NAME,
      module: EmbeddingIndexerModule,
      config,
      apiKey,
    });
    await using offsets = await OffsetsClient.connect(serverEnv().KAFKA_BROKERS.split(','));
    const live = `${kafka.prefix}genstream.embedding-indexer`;
    const before = contents('before', 60);
    await kafka.publish('ContentGenerated', before);
    await eventually(
      async () => (await kafka.committed(live, 'ContentGenerated')) === 60,
      'live indexer done',
    );
    const legacy = `${redis.prefix}genstream:vs:content`;
    expect(await redis.redis.vcard(legacy)).toBe(60);

    // Stopped after its first batches: the next run resumes version 2 from its committed offsets.
    // The stop lands after the first batch (a signal would, in the CLI).
    const first: Reindexer = reindexer(config, redis.redis, offsets, 256, [], () => void first.stop());
    const stopped = await first.run();
    expect(stopped).toMatchObject({ version: 2, interrupted: true });
    expect(await redis.redis.hgetall(`${legacy}:alias`)).toEqual({});

    // Content arriving during the reindex ends up in the new set too.
    const during = contents('during', 20);
    const resumedLines: string[] = [];
    const second = reindexer(config, redis.redis, offsets, 256, resumedLines).run();
    await kafka.publish('ContentGenerated', during);
    const summary = await second;
    expect(resumedLines[0]).toMatch(
      /^resuming the reindex into genstream:vs:content:v2 \(version 2, local:256, begun .*, copying\) from its committed offsets: ([1-9]|[1-5][0-9]) of 60 records done$/,
    );
    expect(summary).toMatchObject({ version: 2, resumed: true, interrupted: false, dropped: true });
    expect(
      resumedLines.some((line) => line.startsWith('switched: search and the live indexer now use')),
    ).toBe(true);

    const v2 = `${legacy}:v2`;
    expect(await redis.redis.hgetall(`${legacy}:alias`)).toMatchObject({
      set: 'genstream:vs:content:v2',
      version: '2',
      embedder: 'local-hashed-v1',
      dimension: '256',
      spec: 'local:256',
    });
    await eventually(async () => (await kafka.committed(live, 'ContentGenerated')) === 80, 'live caught up');
    const all = [...before, ...during].map((event) => event.contentId).sort();
    expect(await elementsOf(redis.redis, v2)).toEqual(all);
    expect(await redis.redis.exists(legacy)).toBe(0);
    expect(await redis.redis.exists(`${legacy}:reindex`)).toBe(0);

    // After the switch the live indexer writes the new set, and search reads it.
    const after = contents('after', 5);
    await kafka.publish('ContentGenerated', after);
    await eventually(async () => (await redis.redis.vcard(v2)) === 85, 'new content in v2');
    expect(await redis.redis.exists(legacy)).toBe(0);
    const indexed = await kafka.read('ContentIndexed', 85);
    expect(
      indexed
        .filter((event) => event.vectorSet === v2)
        .map((event) => event.contentId)
        .sort(),
    ).toEqual(after.map((event) => event.contentId).sort());
    const search = await service.request('/v1/search?q=after%204%20mountain%20bike&k=3');
    expect(search.status).toBe(200);
    expect((search.body as { results: { contentId: string }[] }).results[0]!.contentId).toBe(
      after[4]!.contentId,
    );

    // A reindex with another embedder: once it switches, this instance (256 dimensions) refuses to
    // search the set of 384 and its indexing waits, until restarted with that embedder.
    const third = await reindexer(config, redis.redis, offsets, 384, []).run();
    expect(third).toMatchObject({ version: 3, dropped: true, elements: 85 });
    const refused = await service.request('/v1/search?q=bike');
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: {
        code: 'EMBEDDER_CONFLICT',
        message: expect.stringMatching(
          /built by local:384 .* embeds with local-hashed-v1, 256 dimensions; restart embedding-indexer with EMBEDDING_PROVIDER=local EMBEDDING_DIMENSION=384/,
        ) as unknown,
        details: { vectorSet: 'genstream:vs:content:v3' },
      },
    });
    const waiting = contents('waiting', 3);
    await kafka.publish('ContentGenerated', waiting);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await redis.redis.vcard(`${legacy}:v3`)).toBe(85);
    await service[Symbol.asyncDispose]();
    await using restarted = await startTestService({
      name: SERVICE_NAME,
      module: EmbeddingIndexerModule,
      config: { ...config, EMBEDDING_DIMENSION: 384 } as typeof config,
      apiKey,
    });
    await eventually(
      async () => (await redis.redis.vcard(`${legacy}:v3`)) === 88,
      'the waiting content in v3',
    );
    expect((await restarted.request('/v1/search?q=waiting%202&k=1')).status).toBe(200);
    expect(await redis.redis.exists(v2)).toBe(0);
  });
});
