import { SERVICE_CONFIG } from '@genstream/service';
import { redisClientProviders } from '@genstream/service/redis';
import type { Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { SERVICE_NAME, type Config } from '../config.js';
import { VectorIndexRepository } from './vector-index-repository.js';
import { VectorSetAliasRepository } from './vector-set-alias.repository.js';

/** The service's ioredis client. */
export const REDIS_CLIENT = Symbol('embedding-indexer.redis');

/** The client (connected before the consumer starts, quit after its last batch), the index, its alias. */
export const redisProviders: Provider[] = [
  ...redisClientProviders(REDIS_CLIENT, { connectionName: SERVICE_NAME, lazyConnect: true }),
  {
    provide: VectorIndexRepository,
    inject: [REDIS_CLIENT, SERVICE_CONFIG],
    useFactory: (redis: Redis, config: Config) =>
      new VectorIndexRepository(redis, {
        keyPrefix: config.REDIS_KEY_PREFIX,
        vectorSet: config.VECTOR_SET,
        quantization: config.VECTOR_QUANTIZATION,
      }),
  },
  {
    provide: VectorSetAliasRepository,
    inject: [REDIS_CLIENT, SERVICE_CONFIG],
    useFactory: (redis: Redis, config: Config) =>
      new VectorSetAliasRepository(redis, {
        keyPrefix: config.REDIS_KEY_PREFIX,
        vectorSet: config.VECTOR_SET,
      }),
  },
];
