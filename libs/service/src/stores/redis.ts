import type { Logger } from '@genstream/kafka';
import type { InjectionToken, Provider } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { storeClientProviders, type StoreClientHooks } from './store-client-providers.js';

export {
  execPipeline,
  pipelineReplies,
  redisCommand,
  redisFailure,
  type RedisReply,
} from './redis-failures.js';

export interface RedisClientOptions extends RedisOptions {
  /**
   * Log at most one connection error per this many milliseconds: ioredis reports every failed
   * reconnect. Default 0, every error.
   */
  readonly errorLogIntervalMs?: number;
}

/**
 * An ioredis client whose connection errors go to the service log. By default a command fails
 * after two reconnect attempts (maxRetriesPerRequest 2) instead of queueing for ever, so a Redis
 * outage reaches a consumer as a retriable StoreUnavailableError (partition paused, batch retried
 * later) and the HTTP API as a 503.
 */
export function redisClient(url: string, logger: Logger, options: RedisClientOptions = {}): Redis {
  const { errorLogIntervalMs = 0, ...redisOptions } = options;
  const redis = new Redis(url, { maxRetriesPerRequest: 2, ...redisOptions });
  let lastLoggedAt = -Infinity;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastLoggedAt < errorLogIntervalMs) return;
    lastLoggedAt = Date.now();
    logger.warn('Redis connection error', { error: error.message });
  });
  return redis;
}

/** For storeClientProviders: readiness is PING; quit, or disconnect when quit fails. */
export const redisStore: StoreClientHooks<Redis> = {
  name: 'redis',
  // A lazyConnect client waits (status `wait`) for connect(); any other one connects by itself,
  // and connect() would reject it as already connecting.
  connect: async (redis) => {
    if (redis.status === 'wait') await redis.connect();
  },
  check: (redis) => redis.ping(),
  close: async (redis) => {
    await redis.quit().catch(() => redis.disconnect());
  },
};

/**
 * storeClientProviders of a redisClient on the configuration's REDIS_URL, provided under `token`,
 * checked as `redis`. With `lazyConnect: true` it connects before the consumer starts (start-up
 * fails while Redis is away); without, it connects by itself and start-up does not wait for it.
 */
export function redisClientProviders(token: InjectionToken, options: RedisClientOptions = {}): Provider[] {
  return storeClientProviders({
    ...redisStore,
    token,
    create: (config: { readonly REDIS_URL: string }, logger) =>
      redisClient(config.REDIS_URL, logger, options),
  });
}
