import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from './migration-error.js';

/** One versioned migration file, `NNN_name.sql`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  /** sha256 hex of the SQL with line endings normalized (a CRLF checkout is not an edit). */
  readonly checksum: string;
}

/**
 * The migrations shipped with this service: `migrations/` beside its package.json, found from
 * this module whether it runs from src/ (tsx) or bundled in dist/ (a build, an image).
 */
export const MIGRATIONS_DIRECTORY = join(packageRoot(dirname(fileURLToPath(import.meta.url))), 'migrations');

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new MigrationError(`no package.json above ${from}`);
  }
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** Every `NNN_name.sql` in `directory`, by version. Other files are refused so a typo is not skipped. */
export async function loadMigrations(directory: string = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const files = (await readdir(directory)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (match === null) {
      throw new MigrationError(`${file} in ${directory} is not named NNN_name.sql (e.g. 002_add_tenant.sql)`);
    }
    const sql = await readFile(join(directory, file), 'utf8');
    migrations.push({ version: Number(match[1]), name: match[2]!, file, sql, checksum: checksumOf(sql) });
  }
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new MigrationError(
        `${migrations[i - 1]!.file} and ${migrations[i]!.file} share a version number`,
      );
    }
  }
  return migrations;
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
