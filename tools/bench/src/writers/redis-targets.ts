// The writers that write Redis: the cache-updater's response cache and the embedding-indexer's
// vector set, each through its repository, under an isolated key prefix.
import { deleteKeysWithPrefix } from '@genstream/testing/redis-keys';
import { ResponseCacheRepository } from '@genstream/cache';
import {
  VectorIndexRepository,
  embeddingText,
  vectorItemOf,
  type VectorItem,
} from '@genstream/embedding-indexer';
import { LocalHashedEmbedder } from '@genstream/embeddings';
import type { ContentGenerated } from '@genstream/events';
import { Redis } from 'ioredis';
import type { Say } from '../runner/progress.js';
import { cacheUpdaterTtls } from '../store-defaults.js';
import type { WriterTarget } from './results.js';

export async function redisTarget(
  events: readonly ContentGenerated[],
  isolation: string,
  url: string,
): Promise<WriterTarget<ContentGenerated>> {
  const { redis, keyPrefix, reset, remove } = await isolatedRedis(url, isolation);
  const repository = new ResponseCacheRepository(redis, { keyPrefix });
  const ttls = cacheUpdaterTtls();
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
    write: async (batch) => (await repository.writeGenerated(batch, ttls)).statuses,
    reset,
    remove,
  };
}

export async function vectorTarget(
  events: readonly ContentGenerated[],
  isolation: string,
  url: string,
  say: Say,
): Promise<WriterTarget<VectorItem>> {
  const { redis, keyPrefix, reset, remove } = await isolatedRedis(url, isolation);
  const repository = new VectorIndexRepository(redis, { keyPrefix, quantization: 'Q8' });
  // Embedded once here, so only the store is measured: the embedding-indexer's own text and attributes.
  const started = performance.now();
  const vectors = await new LocalHashedEmbedder().embed(events.map(embeddingText));
  say(
    `vectors: ${events.length} events embedded in ${((performance.now() - started) / 1000).toFixed(1)} s (not measured)`,
  );
  const items = events.map((event, i) => vectorItemOf(event, vectors[i]!));
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
    reset,
    remove,
  };
}

/** A connection whose keys all go under `<isolation>:`; reset deletes them, remove also disconnects. */
async function isolatedRedis(url: string, isolation: string) {
  const redis = new Redis(url, { lazyConnect: true, connectionName: 'bench-writers' });
  await redis.connect();
  const keyPrefix = `${isolation}:`;
  return {
    redis,
    keyPrefix,
    reset: () => deleteKeysWithPrefix(redis, keyPrefix),
    remove: async () => {
      await deleteKeysWithPrefix(redis, keyPrefix);
      redis.disconnect();
    },
  };
}
