// The image installs exactly the versions development runs: its package-lock.json is the
// repository's, cut down to the npm packages the bundles import and what those need in turn.

/** The parts of a package-lock.json (lockfileVersion 3) read here. */
export interface Lockfile {
  readonly name: string;
  readonly version?: string;
  readonly lockfileVersion: number;
  readonly requires?: boolean;
  readonly packages: Readonly<Record<string, LockEntry>>;
}

export interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly link?: boolean;
  readonly dev?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { optional?: boolean }>>;
  readonly [field: string]: unknown;
}

const WORKSPACE_SCOPE = '@genstream/';

/**
 * The npm packages (not workspaces) that `workspaces` need at run time: their dependencies, and
 * those of the genstream workspaces they depend on, recursively; devDependencies never.
 */
export function runtimeDependencies(lock: Lockfile, workspaces: readonly string[]): Record<string, string> {
  const wanted: Record<string, string> = {};
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const entry = lock.packages[path];
    if (!entry) throw new Error(`${path} is not in package-lock.json`);
    for (const [name, range] of Object.entries(entry.dependencies ?? {})) {
      if (name.startsWith(WORKSPACE_SCOPE)) visit(workspacePath(lock, name));
      else wanted[name] = range;
    }
  };
  for (const workspace of workspaces) visit(workspace);
  return Object.fromEntries(Object.entries(wanted).sort(([a], [b]) => a.localeCompare(b)));
}

/** The lock, cut down to `dependencies` and every package they need, at the same paths and versions. */
export function runtimeLock(lock: Lockfile, name: string, dependencies: Record<string, string>): Lockfile {
  // Every package is taken from the root node_modules: a workspace with a nested copy of its own
  // (a version conflict npm settled that way) would need that copy, which this does not do.
  const nested = Object.keys(lock.packages).find((path) =>
    /^(libs|services)\/[^/]+\/node_modules\//.test(path),
  );
  if (nested) throw new Error(`${nested}: a workspace-local package; the image lock does not handle those`);
  const kept = new Map<string, LockEntry>();
  const pending = Object.keys(dependencies).map((dependency) => ({ from: '', dependency, optional: false }));
  while (pending.length > 0) {
    const { from, dependency, optional } = pending.pop()!;
    const path = resolveInstalled(lock, from, dependency);
    if (path === undefined) {
      if (optional) continue; // an optional package this platform did not get
      throw new Error(`${dependency} (needed by ${from || 'the image'}) is not in package-lock.json`);
    }
    if (kept.has(path)) continue;
    const { dev: _dev, ...entry } = lock.packages[path]!;
    kept.set(path, entry);
    const next = (deps: Readonly<Record<string, string>> | undefined, isOptional: (n: string) => boolean) =>
      Object.keys(deps ?? {}).forEach((n) =>
        pending.push({ from: path, dependency: n, optional: isOptional(n) }),
      );
    next(entry.dependencies, () => false);
    next(entry.optionalDependencies, () => true);
    next(entry.peerDependencies, (n) => entry.peerDependenciesMeta?.[n]?.optional === true);
  }
  const root: LockEntry = { name, version: '0.0.0', dependencies };
  const sorted = [...kept.entries()].sort(([a], [b]) => a.localeCompare(b));
  const packages = { '': root, ...Object.fromEntries(sorted) };
  return { name, version: '0.0.0', lockfileVersion: 3, requires: true, packages };
}

/** Where Node finds `dependency` from the package installed at `from`: its own node_modules, then up. */
export function resolveInstalled(lock: Lockfile, from: string, dependency: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${dependency}` : `${base}/node_modules/${dependency}`;
    if (lock.packages[candidate]) return candidate;
    if (base === '') return undefined;
    const parent = base.lastIndexOf('/node_modules/');
    base = parent === -1 ? '' : base.slice(0, parent);
  }
}

function workspacePath(lock: Lockfile, name: string): string {
  const link = lock.packages[`node_modules/${name}`];
  const resolved = link?.link ? (link.resolved as string | undefined) : undefined;
  if (!resolved) throw new Error(`${name} is not a workspace of package-lock.json`);
  return resolved;
}
