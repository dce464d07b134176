import { execFile } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { runCommand, which } from '../commands.js';
import type { StackConfig } from '../config.js';
import { StackError } from '../errors.js';
import { spawnDetached } from '../processes.js';
import type { Progress } from '../progress.js';
import type { ServerContext, ServerDefinition } from '../server.js';

/**
 * Redis 8 with vector sets. Bookworm only has Redis 7, so unless the machine already has a
 * `redis-server` >= 8, `install` fetches Debian trixie's `redis-tools` and the runtime libraries it
 * needs (trixie's glibc included) with a private apt state, unpacks them into a private prefix, and
 * `start` runs the server through that prefix's own dynamic loader. `redis-check-rdb` in that package
 * is the full server binary: Redis picks its mode from argv[0], which the loader sets with `--argv0`.
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
] as const;
/** Where Debian installs its archive keyring (trixie and later name it .pgp). */
const SYSTEM_KEYRINGS = [
  '/usr/share/keyrings/debian-archive-keyring.pgp',
  '/usr/share/keyrings/debian-archive-keyring.gpg',
];
/** Multiarch folder and dynamic loader per Debian architecture. */
const ARCHITECTURES: Record<string, { triplet: string; loader: string }> = {
  amd64: { triplet: 'x86_64-linux-gnu', loader: 'ld-linux-x86-64.so.2' },
  arm64: { triplet: 'aarch64-linux-gnu', loader: 'ld-linux-aarch64.so.1' },
};
const MARKER = 'installed.json';

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
            {
              cause: error,
            },
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
    const installed = readMarker(paths.home);
    if (installed) {
      progress(`Redis ${installed.version} already installed in ${prefixOf(paths.home)}`);
      return;
    }
    await installPrivate(paths, progress);
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
// Locating a server to run

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

interface Runnable {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
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
  const installed = readMarker(home);
  if (!installed) {
    throw new StackError(
      'redis',
      `Redis ${MIN_MAJOR} is not installed in ${prefixOf(home)}: run the install step first`,
    );
  }
  const { LD_PRELOAD: _preload, LD_LIBRARY_PATH: _libraryPath, ...env } = process.env; // none of the host's libraries
  return {
    command: installed.loader,
    args: loaderArgs(installed),
    env,
    version: installed.version,
    describe: `private prefix ${prefixOf(home)}`,
  };
}

function loaderArgs(installed: Marker): string[] {
  return ['--library-path', installed.libraryPath.join(':'), '--argv0', 'redis-server', installed.binary];
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

// ---------------------------------------------------------------------------------------------
// Private install from Debian trixie

/** Written last by a complete install; paths are relative to the prefix, so the stack folder may move. */
interface Marker {
  readonly version: string;
  readonly suite: string;
  readonly packages: readonly string[];
  /** The prefix's dynamic loader, through a symlink named redis-server. */
  readonly loader: string;
  readonly binary: string;
  readonly libraryPath: readonly string[];
}

const prefixOf = (home: string) => resolve(home, 'prefix');

/** The marker with absolute paths, when the install is complete and its files are still there. */
function readMarker(home: string): Marker | undefined {
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(resolve(home, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
  const at = (path: string) => resolve(prefixOf(home), path);
  const absolute = {
    ...marker,
    loader: at(marker.loader),
    binary: at(marker.binary),
    libraryPath: marker.libraryPath.map(at),
  };
  return existsSync(absolute.loader) && existsSync(absolute.binary) ? absolute : undefined;
}

async function installPrivate(paths: ServerContext['paths'], progress: Progress): Promise<void> {
  const log = paths.installLog;
  const arch = (await runCommand('dpkg', ['--print-architecture'], { logFile: log })).trim();
  const layout = ARCHITECTURES[arch];
  if (!layout) {
    throw new StackError(
      'redis',
      `no private Redis ${MIN_MAJOR} build for architecture ${arch}: install redis-server ${MIN_MAJOR}+ yourself or set REDIS_URL`,
    );
  }
  const mirror = await debianMirror(log);
  const work = resolve(paths.home, 'apt'); // scratch: private apt state, keyring, downloads
  const staging = resolve(paths.home, 'prefix.partial');
  const prefix = prefixOf(paths.home);
  rmSync(resolve(paths.home, MARKER), { force: true });
  rmSync(work, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
  progress(
    `fetching Redis ${MIN_MAJOR} from Debian ${SUITE} (${mirror.uris.join(' ')}) with a private apt state in ${work}`,
  );

  const trixie = new PrivateApt(resolve(work, SUITE), log, {
    uris: mirror.uris,
    suites: [SUITE],
    arch,
    keyring: systemKeyring(),
  });
  try {
    await progress.during(
      `apt-get update for ${SUITE} (private lists, system apt untouched)`,
      trixie.update(),
    );
  } catch (error) {
    if (!isSignatureError(error)) throw wrap('apt-get update failed', error);
    // This machine's archive keyring predates the trixie keys: take the newer debian-archive-keyring
    // package from the machine's own suites (verified by the keyring it has), then use its keys.
    if (mirror.ownSuites.length === 0)
      throw wrap(`the system's Debian archive keyring cannot verify ${SUITE}`, error);
    progress(
      `the system's Debian archive keyring cannot verify ${SUITE}: fetching a newer debian-archive-keyring from ${mirror.ownSuites.join(' ')}`,
    );
    const keyring = await newerKeyring(resolve(work, 'keyring'), log, mirror, arch, progress);
    trixie.useKeyring(keyring);
    await progress
      .during(`apt-get update for ${SUITE} with ${keyring}`, trixie.update())
      .catch((retryError: unknown) => {
        throw wrap(`even the newest debian-archive-keyring cannot verify ${SUITE}`, retryError);
      });
  }

  const debs = await progress.during(
    `downloading ${PACKAGES.length} packages: ${PACKAGES.join(' ')}`,
    trixie.download(PACKAGES, resolve(work, 'debs')),
  );
  progress(`unpacking ${debs.length} packages into ${prefix}`);
  mkdirSync(staging, { recursive: true });
  for (const deb of debs) await runCommand('dpkg', ['-x', deb, staging], { logFile: log });

  const check = verifyPrefix(staging, layout);
  const found = await runCommand(check.loader, [...check.args, '--list', check.binary], {
    logFile: log,
    env: check.env,
  });
  const missing = found.split('\n').filter((line) => /not found/.test(line));
  if (missing.length > 0) {
    throw new StackError(
      'redis',
      `the unpacked server misses libraries (add their packages to PACKAGES):\n${missing.join('\n')}`,
    );
  }
  const versionLine = await runCommand(
    check.loader,
    [...check.args, '--argv0', 'redis-server', check.binary, '--version'],
    {
      logFile: log,
      env: check.env,
    },
  );
  const version = /\bv=(\S+)/.exec(versionLine)?.[1];
  if (!version || Number(version.split('.')[0]) < MIN_MAJOR) {
    throw new StackError(
      'redis',
      `the unpacked server reports "${versionLine.trim()}", not Redis ${MIN_MAJOR}+`,
    );
  }

  // Run the loader under the name `redis-server`, so ps, top and pgrep show what it runs.
  const launcher = resolve(staging, 'redis-server');
  symlinkSync(relative(staging, check.loader), launcher);

  rmSync(prefix, { recursive: true, force: true });
  renameSync(staging, prefix);
  const relocate = (path: string) => relative(staging, path);
  const marker: Marker = {
    version,
    suite: SUITE,
    packages: debs.map((deb) => deb.slice(deb.lastIndexOf('/') + 1)),
    loader: relocate(launcher),
    binary: relocate(check.binary),
    libraryPath: check.libraryPath.map(relocate),
  };
  rmSync(work, { recursive: true, force: true }); // lists and .deb files are not needed any more
  writeFileSync(resolve(paths.home, MARKER), `${JSON.stringify(marker, null, 2)}\n`); // last: install is complete
  progress(`installed Redis ${version} in ${prefix}`);
}

/** Finds the loader, the server binary and the library folders in an unpacked prefix. */
function verifyPrefix(prefix: string, layout: { triplet: string; loader: string }) {
  const libraryPath = [`usr/lib/${layout.triplet}`, `lib/${layout.triplet}`] // merged /usr puts all in the first
    .map((dir) => resolve(prefix, dir))
    .filter((dir) => existsSync(dir));
  const loader = libraryPath.map((dir) => resolve(dir, layout.loader)).find((file) => existsSync(file));
  const binary = resolve(prefix, 'usr/bin/redis-check-rdb');
  if (!loader || !existsSync(binary)) {
    throw new StackError(
      'redis',
      `unpacked packages lack ${layout.loader} or usr/bin/redis-check-rdb under ${prefix}`,
    );
  }
  const { LD_PRELOAD: _preload, LD_LIBRARY_PATH: _libraryPath, ...env } = process.env;
  return { loader, binary, libraryPath, env, args: ['--library-path', libraryPath.join(':')] };
}

function systemKeyring(): string | undefined {
  return SYSTEM_KEYRINGS.find((file) => existsSync(file));
}

function isSignatureError(error: unknown): boolean {
  return /NO_PUBKEY|is not signed|EXPKEYSIG|KEYEXPIRED/.test((error as Error)?.message ?? '');
}

function wrap(what: string, error: unknown): StackError {
  return new StackError('redis', `${what}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

async function newerKeyring(
  dir: string,
  log: string,
  mirror: DebianMirror,
  arch: string,
  progress: Progress,
): Promise<string> {
  const own = new PrivateApt(resolve(dir, 'apt'), log, {
    uris: mirror.uris,
    suites: mirror.ownSuites,
    arch,
    keyring: systemKeyring(),
  });
  await progress
    .during(`apt-get update for ${mirror.ownSuites.join(' ')}`, own.update())
    .catch((error: unknown) => {
      throw wrap(`apt-get update for ${mirror.ownSuites.join(' ')} failed`, error);
    });
  const [deb] = await own.download(['debian-archive-keyring'], resolve(dir, 'debs'));
  const unpacked = resolve(dir, 'root');
  await runCommand('dpkg', ['-x', deb!, unpacked], { logFile: log });
  const keyring = SYSTEM_KEYRINGS.map((file) => resolve(unpacked, file.slice(1))).find((file) =>
    existsSync(file),
  );
  if (!keyring)
    throw new StackError(
      'redis',
      `the debian-archive-keyring package has no ${SYSTEM_KEYRINGS.join(' or ')}`,
    );
  return keyring;
}

interface DebianMirror {
  /** Archive URIs this machine's apt uses for Debian itself (not security, not third parties). */
  readonly uris: string[];
  /** This machine's own Debian suites on those URIs, e.g. bookworm bookworm-updates. */
  readonly ownSuites: string[];
}

/**
 * The Debian mirror(s) this machine already uses, read through apt's own parser of its sources
 * (sources.list and sources.list.d, one-line and deb822 alike). With the machine's lists present,
 * entries whose Release file says Origin and Label "Debian" qualify; without them, entries for the
 * machine's own codename on a Debian system.
 */
async function debianMirror(log: string): Promise<DebianMirror> {
  const withInfo = await indexTargets(log, true);
  let chosen = withInfo.filter((t) => t.origin === 'Debian' && t.label === 'Debian');
  if (chosen.length === 0) {
    const release = osRelease();
    const codename = release.VERSION_CODENAME;
    if (release.ID === 'debian' && codename) {
      chosen = (await indexTargets(log, false)).filter(
        (t) => t.release === codename || t.release === `${codename}-updates`,
      );
    }
  }
  const uris = [...new Set(chosen.map((t) => t.uri).filter((uri) => uri && !uri.startsWith('cdrom:')))];
  if (uris.length === 0) {
    throw new StackError(
      'redis',
      `found no Debian archive in this machine's apt sources to fetch Redis ${MIN_MAJOR} (${SUITE}) from: ` +
        `install redis-server ${MIN_MAJOR}+ yourself or point REDIS_URL at a Redis ${MIN_MAJOR} server`,
    );
  }
  const ownSuites = [...new Set(chosen.map((t) => t.release).filter((suite) => suite))];
  return { uris, ownSuites };
}

interface IndexTarget {
  readonly uri: string;
  readonly origin: string;
  readonly label: string;
  readonly release: string;
}

async function indexTargets(log: string, releaseInfo: boolean): Promise<IndexTarget[]> {
  const format = '$(REPO_URI)\t$(ORIGIN)\t$(LABEL)\t$(RELEASE)\t$(TARGET_OF)';
  const args = [
    'indextargets',
    ...(releaseInfo ? [] : ['--no-release-info']),
    '--format',
    format,
    'Identifier: Packages',
  ];
  const output = await runCommand('apt-get', args, { logFile: log });
  return output
    .split('\n')
    .map((line) => line.split('\t'))
    .filter((fields) => fields.length === 5 && fields[4] === 'deb')
    .map(([uri, origin, label, release]) => ({
      uri: uri!,
      origin: origin!,
      label: label!,
      release: release!,
    }));
}

function uidOf(user: string): number | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith(`${user}:`));
    const uid = Number(line?.split(':')[2]);
    return line && Number.isInteger(uid) ? uid : undefined;
  } catch {
    return undefined;
  }
}

function osRelease(): Record<string, string> {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    return Object.fromEntries(
      text
        .split('\n')
        .map((line) => /^([A-Z_]+)=("?)(.*)\2$/.exec(line.trim()))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [match[1]!, match[3]!]),
    );
  } catch {
    return {};
  }
}

/**
 * apt-get with its own sources, lists, cache, status and preferences under `root`. The machine's
 * apt.conf.d still applies (proxies, credentials, retries), except its update and dpkg hooks.
 */
class PrivateApt {
  constructor(
    private readonly root: string,
    private readonly log: string,
    private readonly source: { uris: string[]; suites: string[]; arch: string; keyring: string | undefined },
  ) {}

  useKeyring(file: string): void {
    this.source.keyring = file;
  }

  async update(): Promise<void> {
    this.prepare();
    await runCommand('apt-get', [...this.options(), '--error-on=any', 'update'], { logFile: this.log });
  }

  /** Downloads the candidates of `packages` into `dir`; resolves to the .deb files. */
  async download(packages: readonly string[], dir: string): Promise<string[]> {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const sandbox = process.getuid?.() === 0 ? uidOf('_apt') : undefined;
    if (sandbox !== undefined) chownSync(dir, sandbox, -1); // apt downloads as _apt when it can write here
    await runCommand('apt-get', [...this.options(), 'download', ...packages], {
      logFile: this.log,
      cwd: dir,
    });
    const debs = readdirSync(dir).filter((file) => file.endsWith('.deb'));
    if (debs.length !== packages.length) {
      throw new StackError(
        'redis',
        `apt-get download left ${debs.length} .deb files for ${packages.length} packages in ${dir}`,
      );
    }
    return debs.map((file) => resolve(dir, file));
  }

  private prepare(): void {
    for (const dir of ['state/lists/partial', 'cache/archives/partial', 'sources.list.d', 'preferences.d']) {
      mkdirSync(resolve(this.root, dir), { recursive: true });
    }
    writeFileSync(resolve(this.root, 'state/status'), ''); // no installed packages: nothing to resolve against
    writeFileSync(resolve(this.root, 'sources.list'), '');
    writeFileSync(
      resolve(this.root, 'apt.conf'),
      [
        '// Read after the system configuration: drop the hooks meant for the system apt.',
        '#clear APT::Update::Pre-Invoke;',
        '#clear APT::Update::Post-Invoke;',
        '#clear APT::Update::Post-Invoke-Success;',
        '#clear DPkg::Pre-Invoke;',
        '#clear DPkg::Post-Invoke;',
        '',
      ].join('\n'),
    );
    const { uris, suites, arch, keyring } = this.source;
    writeFileSync(
      resolve(this.root, 'sources.list.d/debian.sources'),
      [
        '# Private source of the genstream stack; the mirror is the one this machine already uses.',
        'Types: deb',
        `URIs: ${uris.join(' ')}`,
        `Suites: ${suites.join(' ')}`,
        'Components: main',
        `Architectures: ${arch}`,
        'Targets: Packages',
        ...(keyring ? [`Signed-By: ${keyring}`] : []),
        '',
      ].join('\n'),
    );
  }

  private options(): string[] {
    const at = (path: string) => resolve(this.root, path);
    return [
      '-c',
      at('apt.conf'),
      '-o',
      `Dir::State=${at('state')}`,
      '-o',
      `Dir::State::Lists=${at('state/lists')}`,
      '-o',
      `Dir::State::status=${at('state/status')}`,
      '-o',
      `Dir::Cache=${at('cache')}`,
      '-o',
      `Dir::Cache::Archives=${at('cache/archives')}`,
      '-o',
      `Dir::Etc::SourceList=${at('sources.list')}`,
      '-o',
      `Dir::Etc::SourceParts=${at('sources.list.d')}`,
      '-o',
      `Dir::Etc::Preferences=${at('preferences')}`,
      '-o',
      `Dir::Etc::PreferencesParts=${at('preferences.d')}`,
      '-o',
      'Acquire::Languages=none',
    ];
  }
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
