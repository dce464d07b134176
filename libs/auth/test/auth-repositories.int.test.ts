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

  it('checks a key in one script: hash, revocation, scope (admin grants all), then its rate', async () => {
    await using redis = await testRedis('auth_check');
    const keys = new ApiKeyRepository(redis.redis, redis.prefix);
    const rate = { perSecond: 1, burst: 2 };
    const { record, token } = await keys.create({ name: 'k', tenant: 'acme', scopes: ['read', 'search'] });
    const hash = hashSecret(parseApiKey(token)!.secret);
    expect(await keys.check(record.id, hash, 'search', rate)).toEqual({
      state: 'allowed',
      tenant: 'acme',
      scopes: ['read', 'search'],
    });
    expect(await keys.check(record.id, hashSecret('wrong'), 'search', rate)).toEqual({ state: 'invalid' });
    expect(await keys.check('0'.repeat(16), hash, 'search', rate)).toEqual({ state: 'invalid' });
    expect(await keys.check(record.id, hash, 'generate', rate)).toMatchObject({ state: 'scope-missing' });
    // Refusals before the rate took no token: the second allowed call is still within the burst.
    expect(await keys.check(record.id, hash, 'read', rate)).toMatchObject({ state: 'allowed' });
    expect(await keys.check(record.id, hash, 'read', rate)).toMatchObject({ state: 'limited' });
    const own = await keys.create({
      name: 'a',
      tenant: 'ops',
      scopes: ['admin'],
      rateLimit: { perSecond: 100, burst: 3 },
    });
    const ownHash = hashSecret(parseApiKey(own.token)!.secret);
    const states = [];
    for (let i = 0; i < 4; i++) states.push((await keys.check(own.record.id, ownHash, 'erase', rate)).state);
    expect(states).toEqual(['allowed', 'allowed', 'allowed', 'limited']);
    await keys.revoke(record.id);
    expect(await keys.check(record.id, hash, 'read', rate)).toEqual({ state: 'revoked' });
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
