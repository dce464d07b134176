import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testPostgres } from '@genstream/testing';
import { describe, expect, it } from 'vitest';
import type pg from 'pg';
import { MIGRATIONS_DIRECTORY, MigrationError, migrate } from '../src/index.js';

async function tables(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  );
  return rows.map((row) => row.table_name);
}

describe('migrate', () => {
  it('applies the shipped migrations once; a second run applies nothing', async () => {
    await using postgres = await testPostgres('migrate');
    expect(await migrate(postgres.pool)).toEqual({ applied: ['001_initial_schema.sql'], newerThanCode: [] });
    expect(await tables(postgres.pool)).toEqual([
      'ai_generated_content',
      'models',
      'schema_migrations',
      'users',
    ]);

    expect(await migrate(postgres.pool)).toEqual({ applied: [], newerThanCode: [] });
    const { rows } = await postgres.pool.query('SELECT version, name, checksum FROM schema_migrations');
    expect(rows).toEqual([
      { version: 1, name: 'initial_schema', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
    ]);

    const { rows: indexes } = await postgres.pool.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'ai_generated_content' ORDER BY indexname",
    );
    const definitions = indexes.map((index) => index.indexdef.replace(/^.* USING btree /, ''));
    expect(definitions).toEqual(expect.arrayContaining(['(user_id, generated_at DESC)', '(request_id)']));
  });

  it('lets instances starting together apply each migration exactly once', async () => {
    await using postgres = await testPostgres('migrate_race');
    const results = await Promise.all([
      migrate(postgres.pool),
      migrate(postgres.pool),
      migrate(postgres.pool),
    ]);
    expect(results.flatMap((result) => result.applied)).toEqual(['001_initial_schema.sql']);
  });

  it('applies a new migration on top, and refuses an applied one that was edited', async () => {
    await using postgres = await testPostgres('migrate_edit');
    const directory = await mkdtemp(join(tmpdir(), 'genstream-migrations-'));
    try {
      await cp(MIGRATIONS_DIRECTORY, directory, { recursive: true });
      await migrate(postgres.pool, { directory });

      await writeFile(
        join(directory, '002_add_tenant.sql'),
        'ALTER TABLE ai_generated_content ADD COLUMN tenant text;',
      );
      expect(await migrate(postgres.pool, { directory })).toMatchObject({ applied: ['002_add_tenant.sql'] });

      await writeFile(
        join(directory, '002_add_tenant.sql'),
        'ALTER TABLE ai_generated_content ADD COLUMN tenant varchar;',
      );
      const refused = migrate(postgres.pool, { directory });
      await expect(refused).rejects.toThrow(MigrationError);
      await expect(refused).rejects.toThrow(/002_add_tenant.sql was edited after it was applied/);
    } finally {
      await rm(directory, { recursive: true });
    }
  });

  it('rolls a failing migration back entirely and names its file', async () => {
    await using postgres = await testPostgres('migrate_fail');
    const directory = await mkdtemp(join(tmpdir(), 'genstream-migrations-'));
    try {
      await writeFile(join(directory, '001_half.sql'), 'CREATE TABLE half (id int); SELECT * FROM missing;');
      const failed = migrate(postgres.pool, { directory });
      await expect(failed).rejects.toThrow(MigrationError);
      await expect(failed).rejects.toThrow(/001_half.sql failed: relation "missing" does not exist/);
      expect(await tables(postgres.pool)).toEqual(['schema_migrations']);
      // The lock went with the discarded session: the next run is not blocked.
      await writeFile(join(directory, '001_half.sql'), 'CREATE TABLE half (id int);');
      expect(await migrate(postgres.pool, { directory })).toMatchObject({ applied: ['001_half.sql'] });
    } finally {
      await rm(directory, { recursive: true });
    }
  });
});
