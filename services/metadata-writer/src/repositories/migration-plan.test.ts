import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMigrations } from './migrate.js';
import { MigrationError } from './migration-error.js';
import { checksumOf, loadMigrations, type Migration } from './migration-files.js';

function migration(version: number, sql = `-- ${version}`): Migration {
  const name = `step_${version}`;
  const file = `${String(version).padStart(3, '0')}_${name}.sql`;
  return { version, name, file, sql, checksum: checksumOf(sql) };
}

const row = (m: Migration) => ({ version: m.version, name: m.name, checksum: m.checksum });

describe('planMigrations', () => {
  const [one, two, three] = [migration(1), migration(2), migration(3)];

  it('applies what is not recorded, in order', () => {
    expect(planMigrations([one, two, three], [row(one)]).pending).toEqual([two, three]);
    expect(planMigrations([one, two, three], [row(one), row(two), row(three)]).pending).toEqual([]);
  });

  it('refuses a file edited after it was applied', () => {
    const edited = { ...row(one), checksum: checksumOf('-- the original') };
    expect(() => planMigrations([one, two], [edited])).toThrow(MigrationError);
    expect(() => planMigrations([one, two], [edited])).toThrow(/001_step_1.sql was edited/);
  });

  it('tolerates versions newer than the code (rolling deploy) but not a deleted file', () => {
    expect(planMigrations([one], [row(one), row(two)])).toEqual({ pending: [], newerThanCode: [2] });
    expect(() => planMigrations([one, three], [row(one), row(two), row(three)])).toThrow(/2 .* file is gone/);
  });

  it('refuses a new file numbered below one already applied', () => {
    expect(() => planMigrations([one, two, three], [row(one), row(three)])).toThrow(
      /002_step_2.sql is older/,
    );
  });
});

describe('loadMigrations', () => {
  it('reads NNN_name.sql files by version, with checksums that ignore CRLF', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'migrations-'));
    try {
      await writeFile(join(directory, '002_second.sql'), 'SELECT 2;\r\n');
      await writeFile(join(directory, '001_first.sql'), 'SELECT 1;\n');
      await writeFile(join(directory, 'README.md'), 'not a migration');
      const migrations = await loadMigrations(directory);
      expect(migrations.map((m) => [m.version, m.name])).toEqual([
        [1, 'first'],
        [2, 'second'],
      ]);
      expect(migrations[1]!.checksum).toBe(checksumOf('SELECT 2;\n'));

      await writeFile(join(directory, '3_bad.sql'), '');
      await expect(loadMigrations(directory)).rejects.toThrow(/3_bad.sql .* not named NNN_name.sql/);
    } finally {
      await rm(directory, { recursive: true });
    }
  });

  it('ships 001 with the service', async () => {
    const [first] = await loadMigrations();
    expect(first).toMatchObject({ version: 1, file: '001_initial_schema.sql' });
  });
});
