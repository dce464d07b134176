import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { runCommand, which } from '../commands.js';
import type { StackConfig } from '../config.js';
import {
  debianPrefixDir,
  installDebianPrefix,
  loaderCommand,
  readDebianPrefix,
  type LoaderCommand,
  type LoaderLayout,
} from '../debian-prefix.js';
import { StackError } from '../errors.js';
import { spawnDetached } from '../processes.js';
import type { ServerDefinition } from '../server.js';

/**
 * Redis 8 with vector sets. Bookworm only has Redis 7, so unless the machine already has a
 * `redis-server` >= 8, `install` unpacks Debian trixie's `redis-tools` and the runtime libraries it
 * needs (trixie's glibc included) into a private prefix, and `start` runs the server through that
 * prefix's own dynamic loader. `redis-check-rdb` in that package is the full server binary: Redis
 * picks its mode from argv[0], which the loader sets with `--argv0`.
 */

const MIN_MAJOR = 8;
const SUITE = 'trixie';
/** redis-tools and the libraries its server binary loads (checked with the loader's --list at install). */
const PACKAGES = [
  'redis-tools',
  'libc6',
  'libgcc-s1',
  'libstdc++6',
  'libatomic1',
  'libjemalloc2',
  'liblzf1',
  'libssl3t64',
  'libzstd1',
  'zlib1g',
  'libsystemd0',
  'libcap2',
];
const BINARY = 'usr/bin/redis-check-rdb';
/** argv[0] of the server, and the name of the loader's symlink that ps shows. */
const PROGRAM = 'redis-server';

const execFileAsync = promisify(execFile);

export const redis: ServerDefinition = {
  name: 'redis',
  product: 'Redis',
  stopSignal: 'SIGTERM', // shutdown: save the snapshot (when save points are set), close clients, exit 0
  startTimeoutMs: 30_000,

  localUrl: (config: StackConfig) => `redis://${config.host}:${config.ports.redis}`,

  async probe(url) {
    const client = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 3_000,
      commandTimeout: 3_000,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null, // one attempt; the caller polls
      enableOfflineQueue: false,
      enableReadyCheck: false, // a server still loading its snapshot answers LOADING below instead
    });
    let socketError: Error | undefined;
    client.on('error', (error: Error) => (socketError = error)); // also keeps ioredis from logging it
    try {
      await client.connect().catch((error: Error) => {
        throw new Error(`no connection to ${hostOf(url)}: ${socketError?.message ?? error.message}`);
      });
      const info = await client.info('server');
      const version = /^redis_version:(\S+)/m.exec(info)?.[1];
      if (!version) throw new Error('INFO server reports no redis_version');
      const key = `genstream:stack-probe:${process.pid}:${Math.random().toString(36).slice(2)}`;
      const vector = fp32([0.25, -0.5, 1]);
      try {
        await client.vadd(key, 'FP32', vector, 'probe');
        await client.pexpire(key, 60_000); // gone even if the DEL below never runs
        const found = (await client.vsim(key, 'FP32', vector, 'COUNT', 1)) as unknown;
        if (!Array.isArray(found) || String(found[0]) !== 'probe') {
          throw new Error(`VSIM did not return the vector just added (got ${JSON.stringify(found)})`);
        }
      } catch (error) {
        if (/unknown command/i.test((error as Error).message)) {
          throw new Error(
            `Redis ${version} has no vector sets (VADD/VSIM need Redis ${MIN_MAJOR} or newer)`,
            { cause: error },
          );
        }
        throw error;
      } finally {
        await client.del(key).catch(() => undefined);
      }
      return version;
    } finally {
      client.disconnect();
    }
  },

  async install({ paths, progress }) {
    const system = await systemRedis();
    if (system?.usable) {
      progress(`using the system's redis-server ${system.version} (${system.path}): nothing to install`);
      return;
    }
    if (system)
      progress(
        `the system's redis-server ${system.version} has no vector sets: installing a private Redis ${MIN_MAJOR}`,
      );
    const installed = readDebianPrefix(paths.home);
    if (installed) {
      progress(`Redis ${installed.version} already installed in ${installed.prefix}`);
      return;
    }
    const fresh = await installDebianPrefix({
      server: 'redis',
      product: `Redis ${MIN_MAJOR}`,
      otherwise: `install redis-server ${MIN_MAJOR}+ yourself or point REDIS_URL at a Redis ${MIN_MAJOR} server`,
      suite: SUITE,
      packages: PACKAGES,
      binary: BINARY,
      launcher: PROGRAM,
      home: paths.home,
      logFile: paths.installLog,
      progress,
      verify: (unpacked) => unpackedVersion(unpacked, paths.installLog),
    });
    progress(`installed Redis ${fresh.version} in ${fresh.prefix}`);
  },

  async start({ config, paths, progress }) {
    const server = await locateServer(paths.home);
    mkdirSync(paths.data, { recursive: true });
    mkdirSync(paths.home, { recursive: true }); // with the system's server, install created nothing
    const confFile = resolve(paths.home, 'redis.conf');
    writeFileSync(confFile, redisConf(config, paths.data));
    progress(`Redis ${server.version} (${server.describe}), config ${confFile}, data ${paths.data}`);
    // The loader maps the server into its own process (no fork): the pid recorded is the server's.
    return spawnDetached(server.command, [...server.args, confFile], {
      logFile: paths.log,
      pidFile: paths.pidFile,
      cwd: paths.data,
      env: server.env,
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Locating and checking a server to run

interface SystemRedis {
  readonly path: string;
  readonly version: string;
  readonly usable: boolean;
}

async function systemRedis(): Promise<SystemRedis | undefined> {
  const path = await which('redis-server');
  if (!path) return undefined;
  try {
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 10_000 });
    const version = /\bv=(\d+)\.(\d+)\.(\d+)/.exec(stdout);
    if (!version) return undefined;
    return {
      path,
      version: `${version[1]}.${version[2]}.${version[3]}`,
      usable: Number(version[1]) >= MIN_MAJOR,
    };
  } catch {
    return undefined; // present but broken: treat as absent
  }
}

interface Runnable extends LoaderCommand {
  readonly version: string;
  readonly describe: string;
}

async function locateServer(home: string): Promise<Runnable> {
  const system = await systemRedis();
  if (system?.usable) {
    return {
      command: system.path,
      args: [],
      env: process.env,
      version: system.version,
      describe: system.path,
    };
  }
  const installed = readDebianPrefix(home);
  if (!installed) {
    throw new StackError(
      'redis',
      `Redis ${MIN_MAJOR} is not installed in ${debianPrefixDir(home)}: run the install step first`,
    );
  }
  return {
    ...loaderCommand(installed, PROGRAM),
    version: installed.version,
    describe: `private prefix ${installed.prefix}`,
  };
}

/** The unpacked server's version, when it is Redis 8 or newer. */
async function unpackedVersion(unpacked: LoaderLayout, logFile: string): Promise<string> {
  const run = loaderCommand(unpacked, PROGRAM);
  const versionLine = await runCommand(run.command, [...run.args, '--version'], { logFile, env: run.env });
  const version = /\bv=(\S+)/.exec(versionLine)?.[1];
  if (!version || Number(version.split('.')[0]) < MIN_MAJOR) {
    throw new StackError(
      'redis',
      `the unpacked server reports "${versionLine.trim()}", not Redis ${MIN_MAJOR}+`,
    );
  }
  return version;
}

function redisConf(config: StackConfig, dataDir: string): string {
  return [
    '# Written by the genstream stack at every start; edits are lost.',
    `bind ${config.host}`,
    `port ${config.ports.redis}`,
    'daemonize no',
    'supervised no',
    'logfile ""', // stdout, which is the stack's log file
    'loglevel notice',
    'always-show-logo no',
    `dir ${quote(dataDir)}`,
    'dbfilename dump.rdb',
    '# Development defaults: a snapshot at most every minute under heavy writes, every 5 min otherwise,',
    '# and one at shutdown (SIGTERM); no append-only file.',
    'save 300 1 60 10000',
    'appendonly no',
    '',
  ].join('\n');
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** host:port of a redis:// URL, without credentials. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the Redis server';
  }
}

/** Little-endian FP32 blob, the cheap way to send a vector to VADD/VSIM. */
function fp32(values: readonly number[]): Buffer {
  const blob = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => blob.writeFloatLE(value, index * 4));
  return blob;
}
