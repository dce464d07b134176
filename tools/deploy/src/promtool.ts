// promtool, built once from the Go module proxy like helm (ensureGoRelease in binaries.ts): `go
// install` of a pinned release into .stack/tools/promtool-<version>, checked (the version it
// reports and the module it was built from) every time it is used.
import type { Progress } from '@genstream/stack';
import { ensureGoRelease, moduleVersionOf } from './binaries.js';
import { run } from './run.js';

/** Prometheus 3.16.0's Go module version (v0.316.0), the newest the proxy serves that Go 1.26 builds. */
export const PROMTOOL_MODULE_VERSION = 'v0.316.0';
export const PROMTOOL_VERSION = '3.16.0';
const MODULE = 'github.com/prometheus/prometheus';

/** Undefined when the binary says it is PROMTOOL_VERSION and was built from PROMTOOL_MODULE_VERSION. */
async function versionProblem(binary: string): Promise<string | undefined> {
  const reported = await run(binary, ['--version']).catch(() => undefined);
  const said = /promtool, version (\S+)/.exec(`${reported?.stdout ?? ''}${reported?.stderr ?? ''}`)?.[1];
  const built = await moduleVersionOf(binary, MODULE).catch(() => undefined);
  if (said === PROMTOOL_VERSION && built === PROMTOOL_MODULE_VERSION) return undefined;
  return `reports ${said ?? 'nothing'} and was built from ${built ?? 'an unknown module'}`;
}

/** promtool, built once into .stack/tools/promtool-<module version>/promtool. */
export function ensurePromtool(progress: Progress): Promise<string> {
  return ensureGoRelease(
    {
      name: 'promtool',
      version: PROMTOOL_VERSION,
      package: `${MODULE}/cmd/promtool`,
      moduleVersion: PROMTOOL_MODULE_VERSION,
      ldflags: `-s -w -X github.com/prometheus/common/version.Version=${PROMTOOL_VERSION}`,
      versionProblem,
    },
    progress,
  );
}
