// promtool, built once from the Go module proxy like helm (binaries.ts): `go install` of a pinned
// release into .stack/tools/promtool-<version>, renamed into place only when complete and checked
// (the version it reports and the module it was built from) every time it is used.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Progress } from '@genstream/stack';
import { toolsDir } from './binaries.js';
import { run, runOk } from './run.js';

/** Prometheus 3.16.0's Go module version (v0.316.0), the newest the proxy serves that Go 1.26 builds. */
export const PROMTOOL_MODULE_VERSION = 'v0.316.0';
export const PROMTOOL_VERSION = '3.16.0';
const MODULE = 'github.com/prometheus/prometheus';
const PACKAGE = `${MODULE}/cmd/promtool`;

// The same build settings as binaries.ts (goEnv there, not exported): pure Go, the installed toolchain.
function goEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', ...extra };
}

/** Undefined when the binary says it is PROMTOOL_VERSION and was built from PROMTOOL_MODULE_VERSION. */
async function versionProblem(binary: string): Promise<string | undefined> {
  const reported = await run(binary, ['--version']).catch(() => undefined);
  const said = /promtool, version (\S+)/.exec(`${reported?.stdout ?? ''}${reported?.stderr ?? ''}`)?.[1];
  const built = await run('go', ['version', '-m', binary])
    .then((r) => r.stdout.split('\n').find((l) => l.trim().startsWith(`mod\t${MODULE}\t`)))
    .then((line) => line?.trim().split('\t')[2])
    .catch(() => undefined);
  if (said === PROMTOOL_VERSION && built === PROMTOOL_MODULE_VERSION) return undefined;
  return `reports ${said ?? 'nothing'} and was built from ${built ?? 'an unknown module'}`;
}

/** Builds promtool once into .stack/tools/promtool-<version>/promtool; later runs check its version. */
export async function ensurePromtool(progress: Progress): Promise<string> {
  const dir = resolve(toolsDir(), `promtool-${PROMTOOL_MODULE_VERSION}`);
  const binary = resolve(dir, 'promtool');
  if (existsSync(binary)) {
    const problem = await versionProblem(binary);
    if (problem === undefined) {
      progress(`promtool ${PROMTOOL_VERSION}: cached (${binary}), version checked`);
      return binary;
    }
    progress(`the cached promtool ${problem}: building it again`);
  }
  const goVersion = (await runOk('go', ['env', 'GOVERSION']).catch(() => '')).trim();
  if (!goVersion) throw new Error('`go` is not on PATH: Go 1.26 or newer is needed to build promtool');
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const ldflags = `-s -w -X github.com/prometheus/common/version.Version=${PROMTOOL_VERSION}`;
  const started = Date.now();
  await progress.during(
    `building promtool ${PROMTOOL_VERSION} with ${goVersion} (go install ${PACKAGE}@${PROMTOOL_MODULE_VERSION}; first time only, several minutes)`,
    runOk('go', ['install', '-trimpath', '-ldflags', ldflags, `${PACKAGE}@${PROMTOOL_MODULE_VERSION}`], {
      env: goEnv({ GOBIN: partial }),
    }),
  );
  const problem = await versionProblem(resolve(partial, 'promtool'));
  if (problem !== undefined) throw new Error(`the promtool just built ${problem}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  progress(
    `promtool ${PROMTOOL_VERSION}: built in ${((Date.now() - started) / 1000).toFixed(0)} s (${binary})`,
  );
  return binary;
}
