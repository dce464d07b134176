import { SERVICE_CONFIG } from '@genstream/service';
import { redisClientProviders } from '@genstream/service/redis';
import type { Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { GenerationConfig } from '../config.js';
import { GENERATION_MODULE_OPTIONS, type GenerationModuleOptions } from '../services/generation-options.js';
import { AnswerLookupRepository } from './answer-lookup.repository.js';
import { FlightRepository } from './flight.repository.js';
import { StatusRepository } from './status.repository.js';

/** The service's ioredis client. */
export const REDIS_CLIENT = Symbol('genstream.generation.redis');

/**
 * The service's one Redis connection and the repositories on it. It connects by itself (no
 * lazyConnect): start-up does not wait for Redis, /health reports it. One error line per 10 s is
 * enough to see an outage.
 */
export const redisProviders: Provider[] = [
  ...redisClientProviders(REDIS_CLIENT, { connectTimeout: 5_000, errorLogIntervalMs: 10_000 }),
  {
    provide: AnswerLookupRepository,
    inject: [REDIS_CLIENT, GENERATION_MODULE_OPTIONS],
    useFactory: (redis: Redis, options: GenerationModuleOptions) =>
      new AnswerLookupRepository(redis, { keyPrefix: options.redisKeyPrefix ?? '' }),
  },
  {
    provide: FlightRepository,
    inject: [REDIS_CLIENT, GENERATION_MODULE_OPTIONS],
    useFactory: (redis: Redis, options: GenerationModuleOptions) =>
      new FlightRepository(redis, { keyPrefix: options.redisKeyPrefix ?? '' }),
  },
  {
    provide: StatusRepository,
    inject: [REDIS_CLIENT, SERVICE_CONFIG, GENERATION_MODULE_OPTIONS],
    useFactory: (redis: Redis, config: GenerationConfig, options: GenerationModuleOptions) =>
      new StatusRepository(redis, config.STATUS_TTL_SECONDS, { keyPrefix: options.redisKeyPrefix ?? '' }),
  },
];
