import { ApiKeyRepository, type NewApiKey } from '@genstream/auth';
import type { TestRedis } from '@genstream/testing';

/**
 * An API key stored under the test's own Redis prefix (deleted with it): by default tenant `test`,
 * every scope and no practical rate limit, for tests of what the APIs do rather than who may call.
 */
export async function testApiKey(redis: TestRedis, key: Partial<NewApiKey> = {}): Promise<string> {
  const { token } = await new ApiKeyRepository(redis.redis, redis.prefix).create({
    name: 'test key',
    tenant: 'test',
    scopes: ['admin'],
    rateLimit: { perSecond: 1_000_000, burst: 1_000_000 },
    ...key,
  });
  return token;
}
