import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { buildEntries, type BuildEntry } from './entries.js';

/** What the last build read, to tell whether it is stale without building again. */
interface BuildManifest {
  readonly entries: readonly BuildEntry[];
  /**
   * Every source file a bundle holds, relative to the root, with its modification time then: an
   * input whose time differs now was changed (an equality, not a comparison with the build's
   * start, which the file system's coarser clock can place after a file written just before).
   */
  readonly inputs: Readonly<Record<string, number>>;
}

export interface BuildResult {
  readonly entries: readonly BuildEntry[];
  /** false: the bundles were up to date, nothing was built. */
  readonly built: boolean;
  readonly ms: number;
  /** Size of each bundle in bytes (source maps apart). */
  readonly bytes: Readonly<Record<string, number>>;
}

const MANIFEST = 'dist/.build-manifest.json';

/**
 * Bundles every entry (see buildEntries) with esbuild: genstream's own workspaces are compiled
 * into the bundle, npm packages stay imports resolved from node_modules at run time (so a
 * deployment installs them with `npm ci --omit=dev`). ESM for Node 22, with source maps.
 */
export async function buildAll(root: string, options: { force?: boolean } = {}): Promise<BuildResult> {
  const started = Date.now();
  const entries = buildEntries(root);
  const manifestFile = resolve(root, MANIFEST);
  if (!options.force && !staleReason(root, entries, manifestFile))
    return { entries, built: false, ms: Date.now() - started, bytes: bundleSizes(root, entries) };
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries.map((entry) => ({ in: entry.source, out: entry.output.slice(0, -'.js'.length) })),
    outdir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: true,
    metafile: true,
    write: false, // written below, each file atomically
    logLevel: 'warning',
    plugins: [npmPackagesExternal],
  });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  const inputs = Object.fromEntries(
    sourceInputs(result.metafile).map((input) => [input, statSync(resolve(root, input)).mtimeMs]),
  );
  const manifest: BuildManifest = { entries, inputs };
  writeAtomically(manifestFile, JSON.stringify(manifest, null, 1));
  return { entries, built: true, ms: Date.now() - started, bytes: bundleSizes(root, entries) };
}

/** Why the bundles need building again, or undefined when they are up to date. */
export function staleReason(
  root: string,
  entries: readonly BuildEntry[],
  manifestFile = resolve(root, MANIFEST),
): string | undefined {
  if (!existsSync(manifestFile)) return 'never built';
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BuildManifest;
  const wanted = entries.map((entry) => entry.output).join('\n');
  if (manifest.entries.map((entry) => entry.output).join('\n') !== wanted) return 'the entries changed';
  const missing = entries.find((entry) => !existsSync(resolve(root, entry.output)));
  if (missing) return `${missing.output} is missing`;
  const changed = Object.entries(manifest.inputs).find(([input, mtimeMs]) => {
    const file = resolve(root, input);
    return !existsSync(file) || statSync(file).mtimeMs !== mtimeMs;
  })?.[0];
  return changed ? `${changed} changed` : undefined;
}

/**
 * Another process may build at the same moment (test files start services in parallel), or run a
 * bundle: a file is replaced whole, never seen half-written.
 */
function writeAtomically(file: string, contents: Uint8Array | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/** npm packages (and Node's own modules) stay imports; @genstream/* workspaces are bundled. */
const npmPackagesExternal: Plugin = {
  name: 'npm-packages-external',
  setup(plugin) {
    plugin.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@genstream/') ? undefined : { path: args.path, external: true },
    );
  },
};

function sourceInputs(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((input) => !input.includes('node_modules/'))
    .sort();
}

function bundleSizes(root: string, entries: readonly BuildEntry[]): Record<string, number> {
  return Object.fromEntries(
    entries.map((entry) => {
      const file = resolve(root, entry.output);
      return [entry.output, existsSync(file) ? statSync(file).size : 0];
    }),
  );
}
