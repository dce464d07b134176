import { SERVICE_CONFIG } from '@genstream/service';
import { redisClientProviders } from '@genstream/service/redis';
import type { Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { GenerationConfig } from '../config.js';
import { AnswerLookupRepository } from './answer-lookup.repository.js';
import { FlightRepository } from './flight.repository.js';
import { StatusRepository } from './status.repository.js';

/** The service's ioredis client. */
export const REDIS_CLIENT = Symbol('genstream.generation.redis');

/**
 * The service's one Redis connection and the repositories on it, every key after `keyPrefix`
 * (empty in production). It connects by itself (no lazyConnect): start-up does not wait for
 * Redis, /health reports it. One error line per 10 s is enough to see an outage.
 */
export const redisProviders = (keyPrefix: string): Provider[] => [
  ...redisClientProviders(REDIS_CLIENT, { connectTimeout: 5_000, errorLogIntervalMs: 10_000 }),
  {
    provide: AnswerLookupRepository,
    inject: [REDIS_CLIENT],
    useFactory: (redis: Redis) => new AnswerLookupRepository(redis, { keyPrefix }),
  },
  {
    provide: FlightRepository,
    inject: [REDIS_CLIENT],
    useFactory: (redis: Redis) => new FlightRepository(redis, { keyPrefix }),
  },
  {
    provide: StatusRepository,
    inject: [REDIS_CLIENT, SERVICE_CONFIG],
    useFactory: (redis: Redis, config: GenerationConfig) =>
      new StatusRepository(redis, config.STATUS_TTL_SECONDS, { keyPrefix }),
  },
];
