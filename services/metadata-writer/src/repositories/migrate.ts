import { StoreUnavailableError } from '@genstream/errors';
import type pg from 'pg';
import { MigrationError } from './migration-error.js';
import { loadMigrations, type Migration } from './migration-files.js';
import { postgresFailureKind } from './postgres-errors.js';

export interface MigrateOptions {
  /** Folder of `NNN_name.sql` files; default: this service's `migrations/`. */
  readonly directory?: string;
}

export interface MigrateResult {
  /** Files applied by this call, in order. */
  readonly applied: readonly string[];
  /**
   * Versions recorded in the database with no file here: a newer release migrated already
   * (rolling deploy). Tolerated only above the newest file this code knows.
   */
  readonly newerThanCode: readonly number[];
}

// Any fixed number works as long as every instance uses the same one.
const MIGRATION_LOCK_ID = '2318472091604751';

const CREATE_HISTORY = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version      integer     PRIMARY KEY,
  name         text        NOT NULL,
  checksum     text        NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now(),
  execution_ms integer     NOT NULL
)`;

export interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Brings the schema up to date. Instances starting together queue on an advisory lock, so each
 * migration runs once; each runs in its own transaction with its history row, so a failure leaves
 * the schema at the previous version. An applied file whose checksum changed is refused: edit
 * history by adding a migration, never by changing one.
 */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = await loadMigrations(options.directory);
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw failure(error, 'connecting');
  }
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_ID]);
    await client.query(CREATE_HISTORY);
    const applied = await client.query<AppliedRow>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const plan = planMigrations(migrations, applied.rows);
    const done: string[] = [];
    for (const migration of plan.pending) {
      await apply(client, migration);
      done.push(migration.file);
    }
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_ID]);
    client.release();
    return { applied: done, newerThanCode: plan.newerThanCode };
  } catch (error) {
    // Closing the session also releases the advisory lock and rolls back an open transaction.
    client.release(true);
    throw failure(error, 'migrating');
  }
}

/** What to apply, after checking the recorded history against the files. */
export function planMigrations(
  migrations: readonly Migration[],
  applied: readonly AppliedRow[],
): { pending: Migration[]; newerThanCode: number[] } {
  const files = new Map(migrations.map((migration) => [migration.version, migration]));
  const newestFile = Math.max(0, ...files.keys());
  const newerThanCode: number[] = [];
  for (const row of applied) {
    const file = files.get(row.version);
    if (file === undefined) {
      if (row.version > newestFile) {
        newerThanCode.push(row.version);
        continue;
      }
      throw new MigrationError(`migration ${row.version} (${row.name}) was applied but its file is gone`);
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `${file.file} was edited after it was applied (checksum ${file.checksum}, applied ${row.checksum}); ` +
          'add a new migration instead',
        { details: { version: row.version, file: file.file } },
      );
    }
  }
  const appliedVersions = new Set(applied.map((row) => row.version));
  const newestApplied = Math.max(0, ...appliedVersions);
  const pending = migrations.filter((migration) => !appliedVersions.has(migration.version));
  const late = pending.find((migration) => migration.version < newestApplied);
  if (late !== undefined) {
    throw new MigrationError(
      `${late.file} is older than migration ${newestApplied}, which is already applied; renumber it`,
    );
  }
  return { pending, newerThanCode };
}

async function apply(client: pg.PoolClient, migration: Migration): Promise<void> {
  const started = performance.now();
  await client.query('BEGIN');
  try {
    await client.query(migration.sql);
  } catch (error) {
    if (postgresFailureKind(error) === 'unavailable') throw error;
    throw new MigrationError(`${migration.file} failed: ${messageOf(error)}`, { cause: error });
  }
  await client.query(
    'INSERT INTO schema_migrations (version, name, checksum, execution_ms) VALUES ($1, $2, $3, $4)',
    [migration.version, migration.name, migration.checksum, Math.round(performance.now() - started)],
  );
  await client.query('COMMIT');
}

function failure(error: unknown, doing: string): unknown {
  if (error instanceof MigrationError) return error;
  if (postgresFailureKind(error) === 'unavailable') {
    return new StoreUnavailableError(`PostgreSQL is unavailable while ${doing}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return new MigrationError(`schema migration failed: ${messageOf(error)}`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
