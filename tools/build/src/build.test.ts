import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAll, staleReason } from './build.js';
import { buildEntries, outputOf } from './entries.js';

function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'genstream-build-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('what the build bundles', () => {
  it("is each service's main, every command under src/cli, a library's preloads, nothing of tools/", () => {
    const root = repository({
      'services/a/src/main.ts': '',
      'services/a/src/cli/migrate.ts': '',
      'services/a/src/cli/migrate.test.ts': '',
      'services/b/src/index.ts': '',
      'libs/x/src/cli/topics.ts': '',
      'libs/x/src/index.ts': '',
      'libs/x/src/preload/register.ts': '',
      'tools/t/src/main.ts': '',
    });
    expect(buildEntries(root)).toEqual([
      { source: 'services/a/src/main.ts', output: 'services/a/dist/main.js' },
      { source: 'services/a/src/cli/migrate.ts', output: 'services/a/dist/cli/migrate.js' },
      { source: 'libs/x/src/cli/topics.ts', output: 'libs/x/dist/cli/topics.js' },
      { source: 'libs/x/src/preload/register.ts', output: 'libs/x/dist/preload/register.js' },
    ]);
    expect(() => outputOf('services/a/main.ts')).toThrow(/not a .ts file under a src\/ folder/);
  });
});

describe('buildAll', () => {
  it('bundles what a service imports, keeps npm packages as imports, and builds again only when stale', async () => {
    const root = repository({
      'services/a/src/main.ts':
        "import { twice } from './twice.js';\nimport pg from 'pg';\nconsole.log(twice(21), typeof pg);\n",
      'services/a/src/twice.ts': 'export const twice = (n: number): number => n * 2;\n',
    });
    const first = await buildAll(root);
    expect(first.built).toBe(true);
    expect(first.bytes['services/a/dist/main.js']).toBeGreaterThan(0);
    const bundle = readFileSync(join(root, 'services/a/dist/main.js'), 'utf8');
    expect(bundle).toContain('n * 2'); // the workspace's own code is inside
    expect(bundle).toMatch(/from "pg"/); // the npm package is not
    expect(staleReason(root, buildEntries(root))).toBeUndefined();
    expect((await buildAll(root)).built).toBe(false);

    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'services/a/src/twice.ts'), later, later);
    expect(staleReason(root, buildEntries(root))).toBe('services/a/src/twice.ts changed');
    expect((await buildAll(root)).built).toBe(true);
  });
});
