import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot, type Progress } from '@genstream/stack';
import { run, runOk } from './run.js';

/** The Helm release CI checks the chart with, built from the Go module proxy. */
export const HELM_VERSION = 'v4.3.2';
const HELM_MODULE = 'helm.sh/helm/v4';

export const CHECKER_DIR = resolve(import.meta.dirname, '../checker');

/** Where built tools are kept: `.stack/tools` (or under GENSTREAM_STACK_DIR), like the stack's servers. */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.GENSTREAM_STACK_DIR ?? resolve(repoRoot(), '.stack'), 'tools');
}

/** Pure-Go builds, no C compiler; the toolchain installed, never one fetched behind our back. */
function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', ...extra };
}

async function checkGo(): Promise<string> {
  const result = await run('go', ['env', 'GOVERSION']).catch(() => undefined);
  if (result?.code !== 0) {
    throw new Error('`go` is not on PATH: Go 1.26 or newer is needed to build Helm and the checker');
  }
  const version = result.stdout.trim();
  const match = /^go(\d+)\.(\d+)/.exec(version);
  if (match && (Number(match[1]) > 1 || Number(match[2]) >= 26)) return version;
  throw new Error(`${version} is too old: Helm ${HELM_VERSION} needs Go 1.26 or newer`);
}

/** The module version a Go binary was built from (`go version -m`), e.g. v4.3.2. */
async function moduleVersionOf(binary: string, module: string): Promise<string | undefined> {
  const result = await run('go', ['version', '-m', binary]);
  const line = result.stdout.split('\n').find((l) => l.trim().startsWith(`mod\t${module}\t`));
  return line?.trim().split('\t')[2];
}

/** What a built helm says it is, and what it was built from; both must be HELM_VERSION. */
async function helmVersionProblem(binary: string): Promise<string | undefined> {
  const reported = await run(binary, ['version', '--template', '{{.Version}}']).catch(() => undefined);
  const built = await moduleVersionOf(binary, HELM_MODULE).catch(() => undefined);
  if (reported?.code === 0 && reported.stdout.trim() === HELM_VERSION && built === HELM_VERSION)
    return undefined;
  return `reports ${reported?.stdout.trim() || 'nothing'} and was built from ${built ?? 'an unknown module'}`;
}

/** Builds Helm once into .stack/tools/helm-<version>/helm; later runs check the cached binary's version. */
export async function ensureHelm(progress: Progress): Promise<string> {
  const dir = resolve(toolsDir(), `helm-${HELM_VERSION}`);
  const binary = resolve(dir, 'helm');
  if (existsSync(binary)) {
    const problem = await helmVersionProblem(binary);
    if (problem === undefined) {
      progress(`helm ${HELM_VERSION}: cached (${binary}), version checked`);
      return binary;
    }
    progress(`the cached helm ${problem}, not ${HELM_VERSION}: building it again`);
  }
  const goVersion = await checkGo();
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const ldflags = `-s -w -X ${HELM_MODULE}/internal/version.version=${HELM_VERSION}`;
  await progress.during(
    `building helm ${HELM_VERSION} with ${goVersion} (go install ${HELM_MODULE}/cmd/helm@${HELM_VERSION}; first time only, several minutes)`,
    runOk('go', ['install', '-trimpath', '-ldflags', ldflags, `${HELM_MODULE}/cmd/helm@${HELM_VERSION}`], {
      env: goEnv({ GOBIN: partial }),
    }),
  );
  const problem = await helmVersionProblem(resolve(partial, 'helm'));
  if (problem !== undefined) throw new Error(`the helm just built ${problem}, not ${HELM_VERSION}`);
  // Renamed only when complete, so an interrupted build is never taken for a cached one.
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return binary;
}

/** Named after its sources (and the Go release), so any edit of the checker means a new build. */
function checkerHash(goVersion: string): string {
  const files = readdirSync(CHECKER_DIR)
    .filter((file) => /^(go\.mod|go\.sum|.*\.go)$/.test(file) && !file.endsWith('_test.go'))
    .sort();
  const hash = createHash('sha256').update(goVersion);
  for (const file of files) hash.update(`\0${file}\0`).update(readFileSync(resolve(CHECKER_DIR, file)));
  return hash.digest('hex').slice(0, 12);
}

/** Builds the strict checker (tools/deploy/checker) once per source version into .stack/tools. */
export async function ensureChecker(progress: Progress): Promise<string> {
  const goVersion = await checkGo();
  const name = `k8s-strict-${checkerHash(goVersion)}`;
  const binary = resolve(toolsDir(), name);
  if (existsSync(binary)) {
    progress(`checker: cached (${binary})`);
    return binary;
  }
  mkdirSync(toolsDir(), { recursive: true });
  const partial = `${binary}.partial`;
  await progress.during(
    `building the checker (tools/deploy/checker, k8s.io/api v0.37.2) with ${goVersion}`,
    runOk('go', ['build', '-trimpath', '-o', partial, '.'], { cwd: CHECKER_DIR, env: goEnv() }),
  );
  renameSync(partial, binary);
  // Builds of older sources are of no further use.
  for (const file of readdirSync(toolsDir())) {
    if (file.startsWith('k8s-strict-') && file !== name) rmSync(resolve(toolsDir(), file), { force: true });
  }
  return binary;
}

/** The checker's Go unit tests (their negative cases included); cached by Go when nothing changed. */
export async function testChecker(progress: Progress): Promise<string> {
  const output = await progress.during(
    'go test of the checker (strict decoding, required fields, a broken object must fail)',
    runOk('go', ['test', '-trimpath', './...'], { cwd: CHECKER_DIR, env: goEnv() }),
  );
  return output.trim();
}
