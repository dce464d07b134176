import type { Logger } from '@genstream/kafka';
import { HealthChecks, SERVICE_CONFIG, SERVICE_LOGGER } from '@genstream/service';
import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { SERVICE_NAME, type Config } from './config.js';
import { VectorIndexRepository } from './vector-index-repository.js';

/** The service's ioredis client. */
export const REDIS_CLIENT = Symbol('embedding-indexer.redis');

export const redisProviders: Provider[] = [
  {
    provide: REDIS_CLIENT,
    inject: [SERVICE_CONFIG, SERVICE_LOGGER],
    useFactory: (config: Config, logger: Logger) => {
      const redis = new Redis(config.REDIS_URL, {
        connectionName: SERVICE_NAME,
        lazyConnect: true,
        // Fail a command soon while Redis is away: the runtime pauses and retries the batch.
        maxRetriesPerRequest: 2,
      });
      redis.on('error', (error: Error) => logger.warn('Redis connection error', { error: error.message }));
      return redis;
    },
  },
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
];

/** Connects before the consumer starts, PINGs for /health, quits after the last batch committed. */
@Injectable()
export class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(HealthChecks) private readonly health: HealthChecks,
  ) {}

  async onModuleInit(): Promise<void> {
    this.health.register({
      name: 'redis',
      check: async () => {
        await this.redis.ping();
      },
    });
    await this.redis.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
