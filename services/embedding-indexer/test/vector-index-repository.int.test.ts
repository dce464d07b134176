import { StoreUnavailableError } from '@genstream/errors';
import { testRedis, type TestRedis } from '@genstream/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { VectorIndexRepository, type VectorItem } from '../src/index.js';

const DIMENSION = 32;

/** A deterministic pseudo-random unit vector per seed (mulberry32), so failures reproduce. */
function unitVector(seed: number, dimension = DIMENSION): Float32Array {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  const vector = Float32Array.from({ length: dimension }, next);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

function item(i: number, overrides: Partial<VectorItem> = {}): VectorItem {
  return {
    contentId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    vector: unitVector(i + 1),
    attributes: {
      userId: 1 + (i % 3),
      model: i % 2 === 0 ? 'local' : 'gpt-4o',
      generatedAt: 1_700_000_000_000 + i,
      title: `title ${i}`,
      tenant: i % 2 === 0 ? 'acme' : 'globex',
    },
    output: `output ${i}`,
    ...overrides,
  };
}

function repositoryFor(redis: TestRedis): VectorIndexRepository {
  return new VectorIndexRepository(redis.redis, { keyPrefix: redis.prefix });
}

const items = Array.from({ length: 50 }, (_, i) => item(i));

describe('VectorIndexRepository', () => {
  it('adds a batch and finds each element first, with a score of about 1, fully hydrated', async () => {
    await using redis = await testRedis('vectors_search');
    const repository = repositoryFor(redis);
    expect(await repository.search(unitVector(1), { k: 3 })).toEqual([]); // no set yet

    expect(await repository.addBatch(items)).toEqual({ added: 50, updated: 0, failed: [] });
    expect(await repository.count()).toBe(50);
    expect(await redis.redis.exists(redis.key('genstream:vs:content'))).toBe(1);

    for (const probe of [items[0]!, items[17]!, items[49]!]) {
      const hits = await repository.search(probe.vector, { k: 5 });
      expect(hits).toHaveLength(5);
      expect(hits[0]).toEqual({
        contentId: probe.contentId,
        score: expect.closeTo(1, 2) as unknown,
        title: probe.attributes.title,
        output: probe.output,
        attributes: probe.attributes,
      });
      const scores = hits.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(hits[1]!.score).toBeLessThan(hits[0]!.score);
    }
  });

  it('filters by user and by model', async () => {
    await using redis = await testRedis('vectors_filter');
    const repository = repositoryFor(redis);
    await repository.addBatch(items);
    const probe = items[4]!; // user 2, model local

    const mine = await repository.search(probe.vector, { k: 50, userId: 2 });
    expect(mine.length).toBe(items.filter((i) => i.attributes.userId === 2).length);
    expect(mine.every((hit) => hit.attributes?.userId === 2)).toBe(true);
    expect(mine[0]!.contentId).toBe(probe.contentId);

    const others = await repository.search(probe.vector, { k: 5, userId: 3 });
    expect(others.every((hit) => hit.attributes?.userId === 3)).toBe(true);
    expect(others.map((hit) => hit.contentId)).not.toContain(probe.contentId);

    const both = await repository.search(probe.vector, { k: 50, userId: 2, model: 'gpt-4o' });
    expect(both.length).toBeGreaterThan(0);
    expect(both.every((hit) => hit.attributes?.userId === 2 && hit.attributes.model === 'gpt-4o')).toBe(true);
    expect(await repository.search(probe.vector, { k: 5, userId: 999 })).toEqual([]);
  });

  it('replaces an element added again: same count, new vector, attributes and text', async () => {
    await using redis = await testRedis('vectors_readd');
    const repository = repositoryFor(redis);
    await repository.addBatch(items);

    const replaced = item(7, {
      vector: unitVector(1_000),
      output: 'new output',
      attributes: { ...item(7).attributes, title: 'new title' },
    });
    expect(await repository.addBatch([replaced, items[8]!])).toEqual({ added: 0, updated: 2, failed: [] });
    expect(await repository.count()).toBe(50);

    const [hit] = await repository.search(replaced.vector, { k: 1 });
    expect(hit).toMatchObject({ contentId: replaced.contentId, title: 'new title', output: 'new output' });
    expect(hit!.attributes).toEqual(replaced.attributes);
    const [old] = await repository.search(items[7]!.vector, { k: 1 });
    expect(old!.contentId).not.toBe(replaced.contentId);
  });

  it('refuses bad vectors one by one and writes the rest of the batch', async () => {
    await using redis = await testRedis('vectors_refused');
    const repository = repositoryFor(redis);
    await repository.addBatch(items.slice(0, 5));

    const nan = item(5, { vector: new Float32Array(DIMENSION).fill(Number.NaN) });
    const shorter = item(6, { vector: unitVector(6, DIMENSION / 2) });
    const result = await repository.addBatch([nan, item(7), shorter, item(8)]);

    expect(result).toMatchObject({ added: 2, updated: 0 });
    expect(result.failed.map((failure) => failure.contentId)).toEqual([nan.contentId, shorter.contentId]);
    expect(result.failed.every((failure) => !failure.error.retriable)).toBe(true);
    expect(result.failed[1]!.error.message).toMatch(/dimension mismatch/);
    expect(await repository.count()).toBe(7);
  });

  it('says the store is unavailable (retriable) when Redis cannot be reached', async () => {
    const redis = new Redis({
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    try {
      const repository = new VectorIndexRepository(redis);
      await expect(repository.addBatch([item(1)])).rejects.toThrow(StoreUnavailableError);
      await expect(repository.search(unitVector(1), { k: 1 })).rejects.toThrow(StoreUnavailableError);
    } finally {
      redis.disconnect();
    }
  });
});
