import type { HealthCheck } from '@genstream/service';
import type { Logger } from '@genstream/kafka';
import { Redis } from 'ioredis';

/**
 * The service's one Redis connection. Commands fail after a couple of reconnect attempts instead
 * of queueing for ever, so a Redis outage reaches the consumer as a retriable StoreUnavailableError
 * (partition paused, retried later) and the HTTP API as a 503.
 */
export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  let lastLoggedAt = 0;
  redis.on('error', (error: Error) => {
    // ioredis reports every failed reconnect; one line per 10 s is enough to see an outage.
    if (Date.now() - lastLoggedAt < 10_000) return;
    lastLoggedAt = Date.now();
    logger.warn('Redis connection error', { error: `${error.name}: ${error.message}` });
  });
  return redis;
}

/** Readiness: Redis answers PING. */
export function redisHealthCheck(redis: Redis): HealthCheck {
  return {
    name: 'redis',
    check: async () => {
      await redis.ping();
    },
  };
}

export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
