import type { Logger } from '@genstream/kafka';
import { HealthChecks, SERVICE_CONFIG, SERVICE_LOGGER } from '@genstream/service';
import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import pg from 'pg';
import { SERVICE_NAME, type Config } from './config.js';
import { ContentRepository } from './content-repository.js';
import { migrate } from './migrate.js';

/** The service's pg.Pool. */
export const PG_POOL = Symbol('metadata-writer.pg-pool');

export const postgresProviders: Provider[] = [
  {
    provide: PG_POOL,
    inject: [SERVICE_CONFIG, SERVICE_LOGGER],
    useFactory: (config: Config, logger: Logger) => {
      const pool = new pg.Pool({
        connectionString: config.DATABASE_URL,
        max: config.DATABASE_POOL_SIZE,
        connectionTimeoutMillis: 5_000,
        application_name: SERVICE_NAME,
      });
      // An idle client whose connection dies is reported here; without a listener the process crashes.
      pool.on('error', (error) => logger.warn('idle PostgreSQL connection failed', { error: error.message }));
      return pool;
    },
  },
  {
    provide: ContentRepository,
    inject: [PG_POOL],
    useFactory: (pool: pg.Pool) => new ContentRepository(pool),
  },
];

/**
 * Brings the schema up to date before the consumer starts (onModuleInit runs before the Kafka
 * runtime starts on bootstrap), checks PostgreSQL for /health, and closes the pool only after the
 * runtime finished and committed its last batch (onApplicationShutdown).
 */
@Injectable()
export class PostgresLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(HealthChecks) private readonly health: HealthChecks,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.health.register({
      name: 'postgres',
      check: async () => {
        await this.pool.query('SELECT 1');
      },
    });
    const { applied, newerThanCode } = await migrate(this.pool);
    this.logger.info('database schema up to date', { applied, newerThanCode });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
