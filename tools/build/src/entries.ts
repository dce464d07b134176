import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/** One file of the build: a TypeScript entry and the JavaScript bundle it becomes. */
export interface BuildEntry {
  /** `services/generation/src/main.ts`, relative to the repository root. */
  readonly source: string;
  /** `services/generation/dist/main.js`. */
  readonly output: string;
}

/**
 * What ships: each service's `src/main.ts`, every command under `src/cli/` of a service or a
 * product library (topic creation, migrations), which a deployment runs beside the services, and
 * every preload under a product library's `src/preload/` (node --import: tracing).
 * Tooling (tools/) runs from source in development and is never built.
 */
export function buildEntries(root: string): BuildEntry[] {
  const entries: string[] = [];
  for (const area of ['services', 'libs']) {
    const areaDir = resolve(root, area);
    if (!existsSync(areaDir)) continue;
    for (const workspace of readdirSync(areaDir).sort()) {
      const src = join(areaDir, workspace, 'src');
      if (area === 'services' && existsSync(join(src, 'main.ts'))) entries.push(join(src, 'main.ts'));
      for (const folder of area === 'libs' ? ['cli', 'preload'] : ['cli']) {
        const dir = join(src, folder);
        if (!existsSync(dir)) continue;
        for (const file of readdirSync(dir).sort())
          if (file.endsWith('.ts') && !file.endsWith('.test.ts')) entries.push(join(dir, file));
      }
    }
  }
  return entries.map((file) => {
    const source = relative(root, file);
    return { source, output: outputOf(source) };
  });
}

/** `x/src/a/b.ts` -> `x/dist/a/b.js`. */
export function outputOf(source: string): string {
  const at = source.indexOf('/src/');
  if (at === -1 || !source.endsWith('.ts'))
    throw new Error(`${source} is not a .ts file under a src/ folder`);
  return `${source.slice(0, at)}/dist/${source.slice(at + '/src/'.length, -'.ts'.length)}.js`;
}
