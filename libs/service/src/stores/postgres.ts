import type { Logger } from '@genstream/kafka';
import pg from 'pg';
import type { StoreClientHooks } from './store-client-providers.js';

/** A pg.Pool on `url` whose connection errors are logged (pg would otherwise crash the process). */
export function postgresPool(
  url: string,
  logger: Logger,
  options: Omit<pg.PoolConfig, 'connectionString'> = {},
): pg.Pool {
  const pool = new pg.Pool({ ...options, connectionString: url });
  // An idle client whose connection dies is reported here; without a listener the process crashes.
  pool.on('error', (error) => logger.warn('idle PostgreSQL connection failed', { error: error.message }));
  // So is a checked-out client whose connection dies between two queries (PostgreSQL stopped in
  // the middle of a transaction): its next query fails, which the caller treats as an outage.
  pool.on('connect', (client) =>
    client.on('error', (error) => logger.warn('PostgreSQL connection failed', { error: error.message })),
  );
  return pool;
}

/** For storeClientProviders: the pool connects on first query; readiness is SELECT 1. */
export const postgresStore: StoreClientHooks<pg.Pool> = {
  name: 'postgres',
  check: (pool) => pool.query('SELECT 1'),
  close: (pool) => pool.end(),
};
