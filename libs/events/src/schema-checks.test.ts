import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSchemaDirectory } from './schema-checks.js';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/compatibility/', import.meta.url));
const SCHEMAS = fileURLToPath(new URL('../../../schemas/', import.meta.url));

let directory: string | undefined;
afterEach(async () => {
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  directory = undefined;
});

/** A temporary schemas directory holding a fixture case as Sample.v1.avsc and Sample.v2.avsc. */
async function schemasFrom(fixture: string): Promise<string> {
  directory = await mkdtemp(path.join(tmpdir(), 'genstream-schemas-'));
  await copyFile(path.join(FIXTURES, fixture, 'v1.avsc'), path.join(directory, 'Sample.v1.avsc'));
  await copyFile(path.join(FIXTURES, fixture, 'v2.avsc'), path.join(directory, 'Sample.v2.avsc'));
  return directory;
}

describe('checkSchemaDirectory', () => {
  it("passes on the repository's schemas", async () => {
    const checks = await checkSchemaDirectory(SCHEMAS);
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(12);
  });

  it('checks the newest version against every older one', async () => {
    const checks = await checkSchemaDirectory(await schemasFrom('compatible/added-field-with-default'));
    expect(checks).toContainEqual({
      ok: true,
      subject: 'Sample v1 -> v2',
      message: 'v2 reads data written with v1',
    });
    expect(checks.every((check) => check.ok)).toBe(true);
  });

  it('names the incompatible pair and why', async () => {
    const checks = await checkSchemaDirectory(await schemasFrom('incompatible/type-changed-int-to-string'));
    expect(checks.filter((check) => !check.ok)).toEqual([
      {
        ok: false,
        subject: 'Sample v1 -> v2',
        message:
          'v2 cannot read data written with v1: genstream.Sample.count: type changed from int to string, which Avro cannot convert',
      },
    ]);
  });

  it('fails on gaps between versions, misnamed files and missing docs', async () => {
    const dir = await schemasFrom('compatible/removed-field');
    await copyFile(path.join(dir, 'Sample.v2.avsc'), path.join(dir, 'Sample.v4.avsc'));
    await copyFile(path.join(dir, 'Sample.v1.avsc'), path.join(dir, 'Other.v1.avsc'));
    await writeFile(
      path.join(dir, 'Bare.v1.avsc'),
      JSON.stringify({
        type: 'record',
        name: 'Bare',
        namespace: 'genstream',
        fields: [{ name: 'a', type: 'int' }],
      }),
    );
    const failures = (await checkSchemaDirectory(dir)).filter((check) => !check.ok);
    expect(failures).toEqual([
      { ok: false, subject: 'Bare.v1.avsc', message: 'no doc for record Bare, a' },
      {
        ok: false,
        subject: 'Other.v1.avsc',
        message: 'Other.v1.avsc defines record Sample; its file name says Other',
      },
      {
        ok: false,
        subject: 'Sample',
        message: 'Sample has versions 1, 2, 4: versions must run 1, 2, 3... (version 3 is missing)',
      },
    ]);
  });
});
