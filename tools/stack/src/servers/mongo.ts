import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { runCommand, which } from '../commands.js';
import { StackError } from '../errors.js';
import { spawnDetached } from '../processes.js';
import type { ServerContext, ServerDefinition } from '../server.js';

/**
 * No MongoDB binary is reachable from the registries, so the local copy is FerretDB v1 (MongoDB wire
 * protocol over SQLite), built from our small Go program in tools/stack/ferretdb. Its go.mod pins the
 * FerretDB version and the Go version needed; both are read from there, never repeated here.
 */
const SOURCE_DIR = resolve(import.meta.dirname, '../../ferretdb');
const goMod = readGoMod(resolve(SOURCE_DIR, 'go.mod'));

/** First Go release that fetches a newer toolchain by itself when go.mod asks for one. */
const TOOLCHAIN_SWITCHING_GO = [1, 21] as const;

function readGoMod(file: string): { ferretdb: string; go: string } {
  const text = readFileSync(file, 'utf8');
  const ferretdb = /^\s*(?:require\s+)?github\.com\/FerretDB\/FerretDB\s+v(\S+)/m.exec(text)?.[1];
  const go = /^go\s+(\d+\.\d+)/m.exec(text)?.[1];
  if (!ferretdb || !go)
    throw new StackError(
      'mongo',
      `${file} must name the Go version and require github.com/FerretDB/FerretDB`,
    );
  return { ferretdb, go };
}

/** Named after the sources too, so an edit of main.go, go.mod or go.sum means a new build. */
const SOURCE_HASH = createHash('sha256')
  .update(
    ['go.mod', 'go.sum', 'main.go'].map((file) => readFileSync(resolve(SOURCE_DIR, file), 'utf8')).join('\0'),
  )
  .digest('hex')
  .slice(0, 12);

const binaryPath = (context: ServerContext) =>
  resolve(context.paths.home, 'bin', `ferretdb-${goMod.ferretdb}-${SOURCE_HASH}`);

function parseGoVersion(text: string): [number, number] | undefined {
  const match = /go(\d+)\.(\d+)/.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const atLeast = (version: readonly number[], minimum: readonly number[]) =>
  version[0]! > minimum[0]! || (version[0] === minimum[0] && version[1]! >= minimum[1]!);

async function checkGo(context: ServerContext): Promise<string> {
  const needed = `Go ${goMod.go} or newer is required to build the MongoDB-wire server (FerretDB)`;
  const go = await which('go');
  if (!go) {
    throw new StackError(
      'mongo',
      `\`go\` is not on PATH. ${needed}. Debian bookworm's \`golang\` package (1.19) is too old: ` +
        'install a current Go release from the Go project and put its bin folder on PATH.',
    );
  }
  const output = await runCommand(go, ['env', 'GOVERSION', 'GOTOOLCHAIN'], {
    logFile: context.paths.installLog,
  });
  const [goVersion = '', toolchain = ''] = output.trim().split('\n');
  const version = parseGoVersion(goVersion);
  const wanted = goMod.go.split('.').map(Number);
  if (!version || atLeast(version, wanted)) return go;
  // Older releases from 1.21 on download the toolchain go.mod names, unless told to stay local.
  if (atLeast(version, TOOLCHAIN_SWITCHING_GO) && toolchain.trim() !== 'local') {
    context.progress(`${goVersion} will fetch the Go ${goMod.go} toolchain FerretDB needs`);
    return go;
  }
  throw new StackError(
    'mongo',
    `${needed}; found ${goVersion}${toolchain ? ` (GOTOOLCHAIN=${toolchain})` : ''}.`,
  );
}

export const mongo: ServerDefinition = {
  name: 'mongo',
  product: 'FerretDB',
  localVersion: goMod.ferretdb,
  stopSignal: 'SIGTERM',
  startTimeoutMs: 30_000,

  localUrl: (config) => `mongodb://${config.host}:${config.ports.mongo}/`,

  async probe(url) {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: 3_000,
      connectTimeoutMS: 3_000,
      socketTimeoutMS: 5_000,
      appName: 'genstream-stack-probe',
    });
    try {
      const admin = client.db('admin');
      await admin.command({ ping: 1 });
      const info = await admin.command({ buildInfo: 1 });
      const wire = typeof info.version === 'string' ? info.version : undefined;
      if (typeof info.ferretdbVersion === 'string') {
        const ferret = info.ferretdbVersion.replace(/^v/, '');
        return `FerretDB ${ferret}${wire ? ` (MongoDB ${wire} wire)` : ''}`;
      }
      return wire ? `MongoDB ${wire}` : undefined;
    } finally {
      await client.close().catch(() => undefined);
    }
  },

  async install(context) {
    const binary = binaryPath(context);
    if (existsSync(binary)) return;
    const go = await checkGo(context);
    mkdirSync(resolve(context.paths.home, 'bin'), { recursive: true });
    const partial = `${binary}.partial`;
    rmSync(partial, { force: true });
    await context.progress.during(
      `building FerretDB ${goMod.ferretdb} with Go (first time only; downloads modules and compiles, can take several minutes)`,
      runCommand(go, ['build', '-trimpath', '-buildvcs=false', '-o', partial, '.'], {
        cwd: SOURCE_DIR,
        // FerretDB's SQLite driver is pure Go: no C compiler needed.
        env: { ...process.env, CGO_ENABLED: '0' },
        logFile: context.paths.installLog,
      }).catch((error: unknown) => {
        throw new StackError('mongo', `building FerretDB failed: ${(error as Error).message}`, {
          cause: error,
        });
      }),
    );
    // Renamed only when complete, so an interrupted build is never mistaken for an installed one.
    renameSync(partial, binary);
  },

  async start(context) {
    const binary = binaryPath(context);
    if (!existsSync(binary)) throw new StackError('mongo', `${binary} is missing: install first`);
    mkdirSync(context.paths.data, { recursive: true });
    const { config } = context;
    return spawnDetached(
      binary,
      ['-listen', `${config.host}:${config.ports.mongo}`, '-data', context.paths.data, '-log-level', 'info'],
      { logFile: context.paths.log, pidFile: context.paths.pidFile },
    );
  },
};
