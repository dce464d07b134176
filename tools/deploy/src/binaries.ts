import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { checkGo as checkGoFor, goEnv, moduleVersionOf, repoRoot, type Progress } from '@genstream/stack';
import { run, runOk } from './run.js';

/** The Helm release CI checks the chart with, built from the Go module proxy. */
export const HELM_VERSION = 'v4.3.2';
const HELM_MODULE = 'helm.sh/helm/v4';

export const CHECKER_DIR = resolve(import.meta.dirname, '../checker');
export const COMPOSE_CHECK_DIR = resolve(import.meta.dirname, '../compose-check');
/** The official Compose loader's release; v2.17 needs a Go newer than 1.26. */
export const COMPOSE_GO_VERSION = 'v2.16.2';

/** Where built tools are kept: `.stack/tools` (or under GENSTREAM_STACK_DIR), like the stack's servers. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.GENSTREAM_STACK_DIR ?? resolve(repoRoot(), '.stack'), 'tools');
}

export { moduleVersionOf };

const checkGo = () => checkGoFor('Helm, promtool and the checkers');

/** What a built helm says it is, and what it was built from; both must be HELM_VERSION. */
async function helmVersionProblem(binary: string): Promise<string | undefined> {
  const reported = await run(binary, ['version', '--template', '{{.Version}}']).catch(() => undefined);
  const built = await moduleVersionOf(binary, HELM_MODULE).catch(() => undefined);
  if (reported?.code === 0 && reported.stdout.trim() === HELM_VERSION && built === HELM_VERSION)
    return undefined;
  return `reports ${reported?.stdout.trim() || 'nothing'} and was built from ${built ?? 'an unknown module'}`;
}

/** A pinned release of a Go program, installed from the Go module proxy (`go install pkg@version`). */
export interface GoRelease {
  /** The binary's name, e.g. `helm`. */
  readonly name: string;
  /** The version it says it is, in progress lines. */
  readonly version: string;
  /** Import path of its main package. */
  readonly package: string;
  /** The version of its module to install. */
  readonly moduleVersion: string;
  /** The linker flags that stamp its version (as its own Makefile does). */
  readonly ldflags: string;
  /** Undefined when the binary is this release; otherwise what it says it is instead. */
  versionProblem(binary: string): Promise<string | undefined>;
}

/**
 * Builds a release once into .stack/tools/<name>-<moduleVersion>/<name>, renamed into place only
 * when complete and checked; later runs check the cached binary the same way and rebuild it when
 * it is not the release.
 */
export async function ensureGoRelease(release: GoRelease, progress: Progress): Promise<string> {
  const { name, version, moduleVersion } = release;
  const dir = resolve(toolsDir(), `${name}-${moduleVersion}`);
  const binary = resolve(dir, name);
  if (existsSync(binary)) {
    const problem = await release.versionProblem(binary);
    if (problem === undefined) {
      progress(`${name} ${version}: cached (${binary}), version checked`);
      return binary;
    }
    progress(`the cached ${name} ${problem}, not ${version}: building it again`);
  }
  const goVersion = await checkGo();
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const started = Date.now();
  const target = `${release.package}@${moduleVersion}`;
  await progress.during(
    `building ${name} ${version} with ${goVersion} (go install ${target}; first time only, several minutes)`,
    runOk('go', ['install', '-trimpath', '-ldflags', release.ldflags, target], {
      env: goEnv({ GOBIN: partial }),
    }),
  );
  const problem = await release.versionProblem(resolve(partial, name));
  if (problem !== undefined) throw new Error(`the ${name} just built ${problem}, not ${version}`);
  // Renamed only when complete, so an interrupted build is never taken for a cached one.
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  progress(`${name} ${version}: built in ${((Date.now() - started) / 1000).toFixed(0)} s (${binary})`);
  return binary;
}

const HELM: GoRelease = {
  name: 'helm',
  version: HELM_VERSION,
  package: `${HELM_MODULE}/cmd/helm`,
  moduleVersion: HELM_VERSION,
  ldflags: `-s -w -X ${HELM_MODULE}/internal/version.version=${HELM_VERSION}`,
  versionProblem: helmVersionProblem,
};

/** Helm, built once into .stack/tools/helm-<version>/helm. */
export function ensureHelm(progress: Progress): Promise<string> {
  return ensureGoRelease(HELM, progress);
}

/** A Go program of this workspace, built once per version of its sources into .stack/tools. */
export interface GoTool {
  /** Its module's folder (its own go.mod). */
  readonly dir: string;
  /** The binary's name before its hash, e.g. `k8s-strict`. */
  readonly name: string;
  /** What the progress line says it is built from. */
  readonly describe: string;
  /** A module it must be built with at exactly this version (checked in the binary just built). */
  readonly pinned?: { readonly module: string; readonly version: string };
}

export const K8S_CHECKER: GoTool = {
  dir: CHECKER_DIR,
  name: 'k8s-strict',
  describe: 'tools/deploy/checker, k8s.io/api v0.37.2',
};

export const COMPOSE_CHECKER: GoTool = {
  dir: COMPOSE_CHECK_DIR,
  name: 'compose-check',
  describe: `tools/deploy/compose-check, compose-go ${COMPOSE_GO_VERSION}`,
  pinned: { module: 'github.com/compose-spec/compose-go/v2', version: COMPOSE_GO_VERSION },
};

/** Named after its sources (and the Go release), so any edit of the tool means a new build. */
function sourceHash(dir: string, goVersion: string): string {
  const files = readdirSync(dir)
    .filter((file) => /^(go\.mod|go\.sum|.*\.go)$/.test(file) && !file.endsWith('_test.go'))
    .sort();
  const hash = createHash('sha256').update(goVersion);
  for (const file of files) hash.update(`\0${file}\0`).update(readFileSync(resolve(dir, file)));
  return hash.digest('hex').slice(0, 12);
}

/** Builds a Go tool of this workspace once per source version into .stack/tools/<name>-<hash>. */
export async function ensureGoTool(tool: GoTool, progress: Progress): Promise<string> {
  const goVersion = await checkGo();
  const file = `${tool.name}-${sourceHash(tool.dir, goVersion)}`;
  const binary = resolve(toolsDir(), file);
  if (existsSync(binary)) {
    progress(`${tool.name}: cached (${binary})`);
    return binary;
  }
  mkdirSync(toolsDir(), { recursive: true });
  const partial = `${binary}.partial`;
  await progress.during(
    `building ${tool.name} (${tool.describe}) with ${goVersion}`,
    runOk('go', ['build', '-trimpath', '-o', partial, '.'], { cwd: tool.dir, env: goEnv() }),
  );
  if (tool.pinned) {
    const built = await moduleVersionOf(partial, tool.pinned.module);
    if (built !== tool.pinned.version) {
      rmSync(partial, { force: true });
      throw new Error(
        `${tool.name} was built with ${tool.pinned.module} ${built ?? '(absent)'}, not ${tool.pinned.version}: see ${relative(repoRoot(), tool.dir)}/go.mod`,
      );
    }
  }
  renameSync(partial, binary);
  // Builds of older sources are of no further use.
  for (const other of readdirSync(toolsDir())) {
    if (other.startsWith(`${tool.name}-`) && other !== file)
      rmSync(resolve(toolsDir(), other), { force: true });
  }
  return binary;
}

/** The strict Kubernetes checker (tools/deploy/checker). */
export function ensureChecker(progress: Progress): Promise<string> {
  return ensureGoTool(K8S_CHECKER, progress);
}

/** The checker's Go unit tests (their negative cases included); cached by Go when nothing changed. */
export async function testChecker(progress: Progress): Promise<string> {
  const output = await progress.during(
    'go test of the checker (strict decoding, required fields, a broken object must fail)',
    runOk('go', ['test', '-trimpath', './...'], { cwd: CHECKER_DIR, env: goEnv() }),
  );
  return output.trim();
}
