import { testPostgres, type TestPostgres } from '@genstream/testing';
import { migrate } from '../src/index.js';

/**
 * testPostgres(), with an error listener on its pool: pool.end() resolves before the idle
 * connections are closed, and the DROP DATABASE ... WITH (FORCE) of the release then kills them;
 * without a listener the pool re-emits that as an uncaught 'error' event.
 */
export async function freshDatabase(label: string): Promise<TestPostgres> {
  const postgres = await testPostgres(label);
  postgres.pool.on('error', () => {});
  return postgres;
}

export async function migratedDatabase(label: string): Promise<TestPostgres> {
  const postgres = await freshDatabase(label);
  await migrate(postgres.pool);
  return postgres;
}
