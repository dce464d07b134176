import { ResponseCacheRepository, responseCacheKey } from '@genstream/cache';
import { loadConfig } from '@genstream/config';
import type { ContentGenerated } from '@genstream/events';
import { aContentGenerated, aGenerationFailed, aGenerationRequested } from '@genstream/events/testing';
import { eventually, startTestService, testTopics } from '@genstream/service-testing';
import { serverEnv, testRedis } from '@genstream/testing';
import { describe, expect, it } from 'vitest';
import { CacheUpdaterModule } from '../src/cache-updater.module.js';
import { SERVICE_NAME, configSchema } from '../src/config.js';

/** Generated just now, so its cache entry is not already past its TTL. */
function fresh(userId: number): ContentGenerated {
  const requestedAt = Date.now() - 2_000;
  return aContentGenerated(
    { generatedAt: requestedAt + 1_500 },
    aGenerationRequested({ userId, requestedAt, prompt: `prompt for ${userId} ${Math.random()}` }),
  );
}

describe('cache-updater (real Kafka, real Redis)', () => {
  it('writes cache entries, summaries and statuses, marks failures, and ignores redelivery', async () => {
    await using redis = await testRedis('cu_service');
    await using kafka = await testTopics('cu_service');
    const config = loadConfig(configSchema, {
      ...kafka.env,
      REDIS_URL: serverEnv().REDIS_URL,
      REDIS_KEY_PREFIX: redis.prefix,
      CACHE_TTL_SECONDS: '600',
      PORT: '0',
    });
    await using service = await startTestService({ name: SERVICE_NAME, module: CacheUpdaterModule, config });

    const health = await service.request('/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      healthy: true,
      consumers: [{ topics: [kafka.topics.ContentGenerated, kafka.topics.GenerationFailed].sort() }],
      checks: [{ name: 'redis', ok: true }],
    });

    const events = [fresh(7), fresh(8), fresh(9)];
    const failure = aGenerationFailed({ reasonCode: 'MODEL_UNKNOWN', message: 'no provider serves gpt-9' });
    await kafka.publish('ContentGenerated', events);
    await kafka.publish('GenerationFailed', [failure]);
    const group = `${kafka.prefix}genstream.cache-updater`;
    const committed = async () =>
      (await kafka.committed(group, 'ContentGenerated')) + (await kafka.committed(group, 'GenerationFailed'));
    await eventually(async () => (await committed()) === 4, 'four offsets committed');

    const cache = new ResponseCacheRepository(redis.redis, { keyPrefix: redis.prefix });
    for (const event of events) {
      expect(await cache.lookup(responseCacheKey(event)!)).toMatchObject({
        contentId: event.contentId,
        output: event.output,
      });
      expect(await redis.redis.get(redis.key(`user:${event.userId}:summary`))).toBe(event.output);
      expect(await cache.status(event.requestId)).toMatchObject({
        state: 'done',
        contentId: event.contentId,
      });
      const ttl = await redis.redis.pttl(redis.key(`genstream:cache:${responseCacheKey(event)!}`));
      expect(ttl).toBeGreaterThan(590_000);
      expect(ttl).toBeLessThanOrEqual(600_000);
    }
    expect(await cache.status(failure.requestId)).toMatchObject({
      state: 'failed',
      code: 'MODEL_UNKNOWN',
      message: 'no provider serves gpt-9',
    });
    const keys = (await redis.redis.keys(`${redis.prefix}*`)).sort();
    expect(keys).toHaveLength(3 * 3 + 1);

    await kafka.publish('ContentGenerated', events);
    await kafka.publish('GenerationFailed', [failure]);
    await eventually(async () => (await committed()) === 8, 'redelivery committed');
    expect((await redis.redis.keys(`${redis.prefix}*`)).sort()).toEqual(keys);
  });
});
