import type { Logger } from '@genstream/kafka';
import { SERVICE_LOGGER, storeClientProviders } from '@genstream/service';
import { postgresPool, postgresStore } from '@genstream/service/postgres';
import type { Provider } from '@nestjs/common';
import type pg from 'pg';
import { SERVICE_NAME, type Config } from '../config.js';
import { ContentRepository } from './content-repository.js';
import { migrate } from './migrate.js';

/** The service's pg.Pool. */
export const PG_POOL = Symbol('metadata-writer.pg-pool');

/** The pool, with the schema brought up to date before the consumer starts; and the repository. */
export const postgresProviders: Provider[] = [
  ...storeClientProviders({
    ...postgresStore,
    token: PG_POOL,
    create: (config: Config, logger) =>
      postgresPool(config.DATABASE_URL, logger, {
        max: config.DATABASE_POOL_SIZE,
        connectionTimeoutMillis: 5_000,
        application_name: SERVICE_NAME,
      }),
    inject: [SERVICE_LOGGER],
    onReady: async (pool, logger: Logger) => {
      const { applied, newerThanCode } = await migrate(pool);
      logger.info('database schema up to date', { applied, newerThanCode });
    },
  }),
  {
    provide: ContentRepository,
    inject: [PG_POOL],
    useFactory: (pool: pg.Pool) => new ContentRepository(pool),
  },
];
