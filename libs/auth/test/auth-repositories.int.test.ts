import { serverEnv, testRedis } from '@genstream/testing';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { hashSecret, parseApiKey } from '../src/api-key-token.js';
import { ApiKeyRepository } from '../src/repositories/api-key.repository.js';
import { RateLimitRepository } from '../src/repositories/rate-limit.repository.js';

describe('API keys and rate limits in Redis (real server)', () => {
  it('stores a key hashed, lists it, and keeps it listed once revoked', async () => {
    await using redis = await testRedis('auth_keys');
    const keys = new ApiKeyRepository(redis.redis, redis.prefix);
    const { record, token } = await keys.create(
      { name: 'ci', tenant: 'acme', scopes: ['generate', 'read'] },
      1_000,
    );
    const stored = await redis.redis.hgetall(redis.key(`genstream:auth:key:${record.id}`));
    const { secret } = parseApiKey(token)!;
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored.secretHash).toBe(hashSecret(secret));
    expect(await keys.find(record.id)).toEqual(record);
    expect(await keys.revoke(record.id, 2_000)).toBe(true);
    expect(await keys.revoke('0'.repeat(16))).toBe(false);
    expect(await keys.list()).toEqual([{ ...record, revokedAt: 2_000 }]);
  });

  it('counts one limit across instances: two clients share the same budget', async () => {
    await using redis = await testRedis('auth_rate');
    const second = new Redis(serverEnv().REDIS_URL, { lazyConnect: true });
    await second.connect();
    try {
      const instances = [redis.redis, second].map((client) => new RateLimitRepository(client, redis.prefix));
      const limit = { perSecond: 1, burst: 4 };
      const decisions = [];
      for (let i = 0; i < 6; i++) decisions.push(await instances[i % 2]!.take('key:a', limit));
      expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, false, false]);
      expect(decisions[4]!.retryAfterMs).toBeGreaterThan(0);
      expect(decisions[4]!.retryAfterMs).toBeLessThanOrEqual(1_000);
      // Another caller has its own budget; the counter expires by itself.
      expect((await instances[0]!.take('key:b', limit)).allowed).toBe(true);
      expect(await redis.redis.pttl(redis.key('genstream:ratelimit:key:a'))).toBeGreaterThan(0);
    } finally {
      second.disconnect();
    }
  });
});
