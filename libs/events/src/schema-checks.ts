import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkBackwardCompatible } from './compatibility.js';
import { groupVersions, parseSchemaFile, undocumented, type SchemaFile } from './schema-files.js';

// What `npm run schemas:check` verifies about a schemas directory, one result per check, so CI
// output says exactly which file or which pair of versions is at fault.

export interface SchemaCheck {
  readonly ok: boolean;
  /** What was checked, e.g. `GenerationRequested v1 -> v2`. */
  readonly subject: string;
  /** The outcome in plain words; for failures, why. */
  readonly message: string;
}

export async function checkSchemaDirectory(directory: string): Promise<SchemaCheck[]> {
  const checks: SchemaCheck[] = [];
  const files: SchemaFile[] = [];
  const names = (await readdir(directory)).filter((name) => name.endsWith('.avsc')).sort();
  if (names.length === 0) {
    return [{ ok: false, subject: directory, message: 'no .avsc files' }];
  }

  for (const name of names) {
    try {
      const file = parseSchemaFile(name, await readFile(path.join(directory, name), 'utf8'));
      files.push(file);
      checks.push({
        ok: true,
        subject: name,
        message: `parses: record genstream.${file.name}, version ${file.version}`,
      });
      const missing = undocumented(file.schema);
      checks.push(
        missing.length === 0
          ? { ok: true, subject: name, message: 'every record, enum and field has a doc' }
          : { ok: false, subject: name, message: `no doc for ${missing.join(', ')}` },
      );
    } catch (error) {
      checks.push({ ok: false, subject: name, message: (error as Error).message });
    }
  }

  const byName = new Map<string, SchemaFile[]>();
  for (const file of files) byName.set(file.name, [...(byName.get(file.name) ?? []), file]);
  for (const [name, versions] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    try {
      groupVersions(versions);
    } catch (error) {
      checks.push({ ok: false, subject: name, message: (error as Error).message });
      continue;
    }
    const sorted = [...versions].sort((a, b) => a.version - b.version);
    const newest = sorted.at(-1)!;
    checks.push({
      ok: true,
      subject: name,
      message: `versions 1..${newest.version}, newest v${newest.version}`,
    });
    for (const older of sorted.slice(0, -1)) {
      const subject = `${name} v${older.version} -> v${newest.version}`;
      const result = checkBackwardCompatible(older.type, newest.type);
      checks.push(
        result.compatible
          ? { ok: true, subject, message: `v${newest.version} reads data written with v${older.version}` }
          : {
              ok: false,
              subject,
              message: `v${newest.version} cannot read data written with v${older.version}: ${result.problems.join('; ')}`,
            },
      );
    }
  }
  return checks;
}
