export { ContentRepository, type SaveBatchResult } from './content-repository.js';
export { migrate, type MigrateOptions, type MigrateResult } from './migrate.js';
export { MIGRATIONS_DIRECTORY } from './migration-files.js';
export { MigrationError } from './migration-error.js';
export { classifyPostgresError, postgresFailureKind, type PostgresFailureKind } from './postgres-errors.js';
export { SERVICE_NAME, configSchema, type Config } from './config.js';
export { MetadataWriterModule } from './metadata-writer.module.js';
