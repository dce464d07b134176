import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildAll } from '@genstream/build';
import type { Say } from '@genstream/stack';
import { runtimeDependencies, runtimeLock, type Lockfile } from './runtime-lock.js';

const run = promisify(execFile);

/** Folders a workspace ships beside its bundles (read at run time, e.g. the SQL migrations). */
const ASSET_FOLDERS = ['migrations'];

/**
 * Files of installed packages that nothing in the image loads. swagger-ui-dist is the web UI of
 * @nestjs/swagger, which the services never mount (they serve /openapi.json only). Its package
 * stays resolvable (the UI helper requires absolute-path.js lazily); its 11 MiB of assets go.
 */
const UNUSED_AT_RUN_TIME: readonly { readonly packageDir: string; readonly keep: readonly string[] }[] = [
  // TypeScript declarations (a driver's instrumentation lists @types/pg as a dependency): never loaded.
  { packageDir: '@types', keep: [] },
  {
    packageDir: 'swagger-ui-dist',
    keep: ['package.json', 'index.js', 'absolute-path.js', 'LICENSE', 'NOTICE', 'README.md'],
  },
];

export interface AssembledImage {
  readonly dir: string;
  /** The bundles (services and commands), relative to dir. */
  readonly bundles: readonly string[];
  /** npm packages installed, the image's own. */
  readonly dependencies: Readonly<Record<string, string>>;
  readonly packagesInstalled: number;
  readonly bytes: { readonly app: number; readonly nodeModules: number };
}

/**
 * What the image holds, in `dir` (emptied first): the bundles with their source maps, each
 * shipping workspace's package.json and assets, and `npm ci --omit=dev` of exactly the npm packages
 * the bundles import, at the versions of the repository's lock. No TypeScript, no tooling, no
 * devDependency. The Dockerfile's build stage runs this; CI runs it too and starts a service from it.
 */
export async function assembleImage(root: string, dir: string, say: Say = () => {}): Promise<AssembledImage> {
  const build = await buildAll(root);
  say(build.built ? `built ${build.entries.length} bundles` : `${build.entries.length} bundles up to date`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const workspaces = [...new Set(build.entries.map((entry) => workspaceOf(entry.source)))].sort();
  for (const entry of build.entries) {
    for (const file of [entry.output, `${entry.output}.map`]) copy(root, dir, file);
  }
  for (const workspace of workspaces) {
    copy(root, dir, join(workspace, 'package.json'));
    for (const folder of ASSET_FOLDERS)
      if (existsSync(resolve(root, workspace, folder))) copy(root, dir, join(workspace, folder));
  }
  const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as Lockfile;
  const dependencies = runtimeDependencies(lock, workspaces);
  const name = 'genstream-image';
  const manifest = { name, version: '0.0.0', private: true, type: 'module', dependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const imageLock = runtimeLock(lock, name, dependencies);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(imageLock, null, 2)}\n`);
  say(`npm ci --omit=dev of ${Object.keys(dependencies).length} packages (and what they need) in ${dir}`);
  await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir });
  pruneUnused(join(dir, 'node_modules'), say);
  return {
    dir,
    bundles: build.entries.map((entry) => entry.output),
    dependencies,
    packagesInstalled: Object.keys(imageLock.packages).length - 1,
    bytes: { app: sizeOf(dir), nodeModules: sizeOf(join(dir, 'node_modules')) },
  };
}

function pruneUnused(nodeModules: string, say: Say): void {
  for (const { packageDir, keep } of UNUSED_AT_RUN_TIME) {
    const path = join(nodeModules, packageDir);
    if (!existsSync(path)) continue;
    const removed = readdirSync(path).filter((name) => !keep.includes(name));
    const bytes = removed.reduce((total, name) => total + sizeOf(join(path, name)), 0);
    for (const name of removed) rmSync(join(path, name), { recursive: true, force: true });
    say(
      `removed ${removed.length} files of ${packageDir} never loaded at run time (${(bytes / 2 ** 20).toFixed(1)} MiB)`,
    );
  }
}

/** `services/generation/src/main.ts` -> `services/generation`. */
function workspaceOf(source: string): string {
  return source.split('/').slice(0, 2).join('/');
}

function copy(root: string, dir: string, path: string): void {
  const target = join(dir, path);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(resolve(root, path), target, { recursive: true });
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0);
}
