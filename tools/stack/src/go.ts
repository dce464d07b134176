import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Pure-Go builds, no C compiler; the toolchain installed, never one fetched behind our back. */
export function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', ...extra };
}

/** The installed Go's version (e.g. go1.26.8); throws naming what is missing when it is absent or older than 1.26. */
export async function checkGo(forWhat: string): Promise<string> {
  const version = await exec('go', ['env', 'GOVERSION']).then(
    (result) => result.stdout.trim(),
    () => undefined,
  );
  if (version === undefined)
    throw new Error(`\`go\` is not on PATH: Go 1.26 or newer is needed to build ${forWhat}`);
  const match = /^go(\d+)\.(\d+)/.exec(version);
  if (match && (Number(match[1]) > 1 || Number(match[2]) >= 26)) return version;
  throw new Error(`${version} is too old: ${forWhat} needs Go 1.26 or newer`);
}

/** The version of a module a Go binary was built from or with (`go version -m`), e.g. v4.3.2. */
export async function moduleVersionOf(binary: string, module: string): Promise<string | undefined> {
  const { stdout } = await exec('go', ['version', '-m', binary]);
  const line = stdout
    .split('\n')
    .find((l) => l.trim().startsWith(`mod\t${module}\t`) || l.trim().startsWith(`dep\t${module}\t`));
  return line?.trim().split('\t')[2];
}
