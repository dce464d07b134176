// npm run migrate (in an image: node services/metadata-writer/dist/cli/migrate.js): brings the
// PostgreSQL schema of DATABASE_URL up to date, says what it applied, and exits. The writer does
// the same at its start; a deployment runs this first (its Helm hook Job), so that instances
// rolled out together do not all wait on the migration lock.
import { loadConfig } from '@genstream/config';
import { createServiceLogger } from '@genstream/service';
import { postgresPool } from '@genstream/service/postgres';
import { configSchema, SERVICE_NAME } from '../config.js';
import { migrate } from '../repositories/migrate.js';

const { DATABASE_URL, LOG_LEVEL } = configSchema;
const config = loadConfig({ DATABASE_URL, LOG_LEVEL }, process.env);
const logger = createServiceLogger(`${SERVICE_NAME}-migrate`, config.LOG_LEVEL);
const pool = postgresPool(config.DATABASE_URL, logger, {
  max: 1,
  application_name: `${SERVICE_NAME}-migrate`,
});
try {
  const { applied, newerThanCode } = await migrate(pool);
  console.log(
    applied.length === 0
      ? 'migrate: the schema is up to date, nothing applied'
      : `migrate: applied ${applied.length}: ${applied.join(', ')}`,
  );
  if (newerThanCode.length > 0)
    console.log(
      `migrate: the database also has newer versions (${newerThanCode.join(', ')}) from a later release`,
    );
} catch (error) {
  console.error(`migrate: failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
}
