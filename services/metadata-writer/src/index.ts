export { ContentRepository, type SaveBatchResult } from './repositories/content-repository.js';
export { migrate, type MigrateOptions, type MigrateResult } from './repositories/migrate.js';
export { MIGRATIONS_DIRECTORY } from './repositories/migration-files.js';
export { MigrationError } from './repositories/migration-error.js';
export {
  classifyPostgresError,
  postgresFailureKind,
  type PostgresFailureKind,
} from './repositories/postgres-errors.js';
export { SERVICE_NAME, configSchema, type Config } from './config.js';
export { MetadataWriterModule } from './metadata-writer.module.js';
