import { StoreUnavailableError } from '@genstream/errors';
import type { ContentGenerated } from '@genstream/events';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import { testRedis, type TestRedis } from '@genstream/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ResponseCacheRepository, cacheKeys, responseCacheKey } from '../src/index.js';

const TTLS = { ttlSeconds: 3_600, summaryTtlSeconds: 600, statusTtlSeconds: 300 };

/** Content generated just now, so its cache entry is not already past its TTL. */
function freshContent(overrides: Partial<ContentGenerated> = {}, userId = 42): ContentGenerated {
  const requestedAt = Date.now() - 2_000;
  return aContentGenerated(
    { generatedAt: requestedAt + 1_500, ...overrides },
    aGenerationRequested({ userId, requestedAt }),
  );
}

function repositoryFor(redis: TestRedis): ResponseCacheRepository {
  return new ResponseCacheRepository(redis.redis, { keyPrefix: redis.prefix });
}

async function keysOf(redis: TestRedis): Promise<string[]> {
  return (await redis.redis.keys(`${redis.prefix}*`)).map((key) => key.slice(redis.prefix.length)).sort();
}

describe('ResponseCacheRepository', () => {
  it('writes the cache entry, the user summary and the done status, and finds the entry again', async () => {
    await using redis = await testRedis('cache_write');
    const repository = repositoryFor(redis);
    const event = freshContent();
    const key = responseCacheKey(event)!;

    expect(await repository.lookup(key)).toBeUndefined();
    expect(await repository.writeGenerated([event], TTLS)).toEqual({ cached: 1, summaries: 1, statuses: 1 });

    expect(await keysOf(redis)).toEqual(
      [`genstream:cache:${key}`, `genstream:status:${event.requestId}`, 'user:42:summary'].sort(),
    );
    expect(await repository.lookup(key)).toEqual({
      contentId: event.contentId,
      requestId: event.requestId,
      output: event.output,
      modelUsed: event.modelUsed,
      generatedAt: event.generatedAt,
      usage: event.usage,
    });
    expect(await redis.redis.get(redis.key('user:42:summary'))).toBe(event.output);
    expect(await repository.status(event.requestId)).toEqual({
      state: 'done',
      contentId: event.contentId,
      output: event.output,
      modelUsed: event.modelUsed,
      generatedAt: event.generatedAt,
      cacheHit: 'NONE',
      tenant: event.tenant,
    });

    // Entries live ttlSeconds from generatedAt; the others from the write.
    const entryTtl = await redis.redis.pttl(redis.key(`genstream:cache:${key}`));
    expect(entryTtl).toBeGreaterThan(3_590_000);
    expect(entryTtl).toBeLessThanOrEqual(event.generatedAt + 3_600_000 - Date.now() + 50);
    expect(await redis.redis.ttl(redis.key('user:42:summary'))).toBeGreaterThan(590);
    expect(await redis.redis.ttl(redis.key(`genstream:status:${event.requestId}`))).toBeGreaterThan(290);
  });

  it('caches only answers the model produced, with a cacheable scope and still within their TTL', async () => {
    await using redis = await testRedis('cache_which');
    const repository = repositoryFor(redis);
    const produced = freshContent({ prompt: 'produced' });
    const exactHit = freshContent({ prompt: 'exact', cacheHit: 'EXACT' });
    const semanticHit = freshContent({ prompt: 'semantic', cacheHit: 'SEMANTIC' });
    const bypass = freshContent({ prompt: 'bypass', cacheScope: 'BYPASS' });
    const expired = freshContent({ prompt: 'old', generatedAt: Date.now() - 3_601_000 });
    const batch = [produced, exactHit, semanticHit, bypass, expired];

    expect(await repository.writeGenerated(batch, TTLS)).toEqual({ cached: 1, summaries: 1, statuses: 5 });

    expect(await repository.lookup(responseCacheKey(produced)!)).toMatchObject({
      contentId: produced.contentId,
    });
    for (const skipped of [exactHit, semanticHit, expired]) {
      expect(await repository.lookup(responseCacheKey(skipped)!)).toBeUndefined();
    }
    // Every request still gets its status, cache hit or not.
    for (const event of batch)
      expect(await repository.status(event.requestId)).toMatchObject({ state: 'done' });
    expect(await repository.status(exactHit.requestId)).toMatchObject({ cacheHit: 'EXACT' });
  });

  it('leaves an EXACT hit without touching the entry it was served from', async () => {
    await using redis = await testRedis('cache_exact');
    const repository = repositoryFor(redis);
    const original = freshContent();
    await repository.writeGenerated([original], { ...TTLS, ttlSeconds: 100 });
    const ttlBefore = await redis.redis.pttl(redis.key(`genstream:cache:${responseCacheKey(original)}`));

    const hit = freshContent({ cacheHit: 'EXACT', output: original.output }, original.userId);
    await repository.writeGenerated([hit], TTLS);

    expect(await repository.lookup(responseCacheKey(original)!)).toMatchObject({
      contentId: original.contentId,
    });
    const ttlAfter = await redis.redis.pttl(redis.key(`genstream:cache:${responseCacheKey(original)}`));
    expect(ttlAfter).toBeLessThanOrEqual(ttlBefore);
  });

  it("keeps each user's newest output of the batch as the summary", async () => {
    await using redis = await testRedis('cache_summary');
    const repository = repositoryFor(redis);
    const now = Date.now();
    const newest = freshContent({ output: 'newest', generatedAt: now }, 7);
    const older = freshContent({ output: 'older', generatedAt: now - 5_000 }, 7);
    const other = freshContent({ output: 'other user' }, 8);

    expect(await repository.writeGenerated([newest, older, other], TTLS)).toMatchObject({ summaries: 2 });
    expect(await redis.redis.get(redis.key('user:7:summary'))).toBe('newest');
    expect(await redis.redis.get(redis.key('user:8:summary'))).toBe('other user');
  });

  it('leaves the same state when a batch is written again', async () => {
    await using redis = await testRedis('cache_replay');
    const repository = repositoryFor(redis);
    const batch = Array.from({ length: 10 }, (_, i) =>
      freshContent({ prompt: `prompt ${i}` }, 100 + (i % 3)),
    );
    await repository.writeGenerated(batch, TTLS);
    const snapshot = async () =>
      Promise.all((await keysOf(redis)).map(async (key) => [key, await redis.redis.get(redis.key(key))]));
    const before = await snapshot();
    expect(before).toHaveLength(10 + 10 + 3);

    await repository.writeGenerated(batch, TTLS);
    expect(await snapshot()).toEqual(before);
  });

  it('tracks a request from accepted to done, and a failure never hides done', async () => {
    await using redis = await testRedis('cache_status');
    const repository = repositoryFor(redis);
    const event = freshContent();

    expect(await repository.status(event.requestId)).toBeUndefined();
    expect(await repository.markAccepted(event.requestId, 60, 'acme')).toBe(true);
    expect(await repository.status(event.requestId)).toEqual({
      state: 'accepted',
      acceptedAt: expect.any(Number) as unknown,
      tenant: 'acme',
    });
    expect(await repository.markAccepted(event.requestId, 60)).toBe(false);

    await repository.writeGenerated([event], TTLS);
    expect(await repository.markAccepted(event.requestId, 60)).toBe(false);
    expect(
      await repository.markFailed(event.requestId, { code: 'DEPENDENCY_TIMEOUT', message: 'late' }, 60),
    ).toBe(false);
    expect(await repository.status(event.requestId)).toMatchObject({
      state: 'done',
      contentId: event.contentId,
    });

    const failing = freshContent();
    await repository.markAccepted(failing.requestId, 60);
    expect(await repository.markFailed(failing.requestId, { code: 'MODEL_REFUSED', message: 'no' }, 60)).toBe(
      true,
    );
    expect(await repository.status(failing.requestId)).toEqual({
      state: 'failed',
      code: 'MODEL_REFUSED',
      message: 'no',
      failedAt: expect.any(Number) as unknown,
      tenant: null,
    });
    expect(await redis.redis.ttl(cacheKeys(redis.prefix).requestStatus(failing.requestId))).toBeGreaterThan(
      50,
    );

    // A retry that succeeds replaces the failure.
    await repository.writeGenerated([{ ...failing, contentId: event.contentId }], TTLS);
    expect(await repository.status(failing.requestId)).toMatchObject({ state: 'done' });
  });

  it('treats an unreadable entry as a miss', async () => {
    await using redis = await testRedis('cache_garbage');
    const repository = repositoryFor(redis);
    await redis.redis.set(redis.key('genstream:cache:abc'), 'not json');
    await redis.redis.set(redis.key('genstream:cache:def'), '{"contentId":1}');
    await redis.redis.set(redis.key('genstream:status:r1'), '{"state":"exploded"}');
    expect(await repository.lookup('abc')).toBeUndefined();
    expect(await repository.lookup('def')).toBeUndefined();
    expect(await repository.status('r1')).toBeUndefined();
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
      const repository = new ResponseCacheRepository(redis);
      await expect(repository.writeGenerated([freshContent()], TTLS)).rejects.toThrow(StoreUnavailableError);
      await expect(repository.lookup('abc')).rejects.toThrow(StoreUnavailableError);
      await expect(repository.markAccepted('r', 10)).rejects.toThrow(StoreUnavailableError);
    } finally {
      redis.disconnect();
    }
  });
});
