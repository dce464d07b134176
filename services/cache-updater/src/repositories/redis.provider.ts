import { ResponseCacheRepository } from '@genstream/cache';
import { SERVICE_CONFIG } from '@genstream/service';
import { redisClientProviders } from '@genstream/service/redis';
import type { Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { SERVICE_NAME, type Config } from '../config.js';

/** The service's ioredis client. */
export const REDIS_CLIENT = Symbol('cache-updater.redis');

/** The client (connected before the consumer starts, quit after its last batch) and the cache. */
export const redisProviders: Provider[] = [
  ...redisClientProviders(REDIS_CLIENT, {
    connectionName: SERVICE_NAME,
    lazyConnect: true,
    // Commands issued in the same tick (one markFailed per record) travel as one pipeline.
    enableAutoPipelining: true,
  }),
  {
    provide: ResponseCacheRepository,
    inject: [REDIS_CLIENT, SERVICE_CONFIG],
    useFactory: (redis: Redis, config: Config) =>
      new ResponseCacheRepository(redis, { keyPrefix: config.REDIS_KEY_PREFIX }),
  },
];
