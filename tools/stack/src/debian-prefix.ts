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
import { runCommand } from './commands.js';
import type { ServerName } from './config.js';
import { StackError } from './errors.js';
import type { Progress } from './progress.js';

/**
 * Debian packages of another suite (say trixie's on a bookworm machine), unpacked into a private
 * prefix and run through that prefix's own dynamic loader, so no library of the host mixes in.
 * They come from the Debian mirror this machine's apt already uses, fetched with a private apt
 * state: the system's lists, status and hooks are left alone.
 *
 * Under `home`: `prefix/` and its marker `installed.json` (written last, so a prefix without it is
 * incomplete); while installing, also `apt/` (scratch) and `prefix.partial/`.
 */

export interface DebianPrefixRequest {
  /** The server the prefix is for; errors carry its name. */
  readonly server: ServerName;
  /** What the packages provide, for messages: "Redis 8". */
  readonly product: string;
  /** What the user can do instead when this machine cannot get the packages, for error messages. */
  readonly otherwise: string;
  readonly suite: string;
  /** The program's package and every package of the libraries it loads. */
  readonly packages: readonly string[];
  /** The program, relative to the prefix; all its libraries must resolve inside the prefix. */
  readonly binary: string;
  /** Name of the symlink to the loader that is run, so ps, top and pgrep show what it runs. */
  readonly launcher: string;
  /** Folder holding the prefix and its marker. */
  readonly home: string;
  readonly logFile: string;
  readonly progress: Progress;
  /** Checks the unpacked program before it replaces the installed one; resolves to its version. */
  readonly verify: (unpacked: LoaderLayout) => Promise<string>;
}

/** What runs the program of a prefix; absolute paths. */
export interface LoaderLayout {
  readonly loader: string;
  readonly binary: string;
  /** The prefix's library folders, searched instead of the host's. */
  readonly libraryPath: readonly string[];
}

/** A complete install; `loader` is the launcher symlink. */
export interface DebianPrefix extends LoaderLayout {
  readonly prefix: string;
  /** What `verify` reported. */
  readonly version: string;
  readonly suite: string;
  /** The .deb files unpacked. */
  readonly packages: readonly string[];
}

export interface LoaderCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** Where the prefix under `home` is (or would be). */
export const debianPrefixDir = (home: string) => resolve(home, 'prefix');

/** The complete install under `home`, when its marker and files are still there. */
export function readDebianPrefix(home: string): DebianPrefix | undefined {
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(resolve(home, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
  const installed = fromMarker(marker, debianPrefixDir(home));
  return existsSync(installed.loader) && existsSync(installed.binary) ? installed : undefined;
}

/** Runs the program through the prefix's loader under the name `argv0`, with none of the host's libraries. */
export function loaderCommand(layout: LoaderLayout, argv0: string): LoaderCommand {
  return {
    command: layout.loader,
    args: [...libraryPathArgs(layout), '--argv0', argv0, layout.binary],
    env: withoutHostLibraries(),
  };
}

/** Downloads and unpacks the packages into a fresh prefix under `home`, replacing any earlier one. */
export async function installDebianPrefix(request: DebianPrefixRequest): Promise<DebianPrefix> {
  const { server, product, suite, packages, home, logFile, progress } = request;
  const arch = (await runCommand('dpkg', ['--print-architecture'], { logFile })).trim();
  const architecture = ARCHITECTURES[arch];
  if (!architecture) {
    throw new StackError(
      server,
      `no private ${product} build for architecture ${arch}: ${request.otherwise}`,
    );
  }
  const mirror = await debianMirror(request);
  const work = resolve(home, 'apt'); // scratch: private apt state, keyring, downloads
  const staging = resolve(home, 'prefix.partial');
  const prefix = debianPrefixDir(home);
  rmSync(resolve(home, MARKER), { force: true });
  rmSync(work, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
  progress(
    `fetching ${product} from Debian ${suite} (${mirror.uris.join(' ')}) with a private apt state in ${work}`,
  );

  const apt = await updatedApt(request, mirror, arch, work);
  const debs = await progress.during(
    `downloading ${packages.length} packages: ${packages.join(' ')}`,
    apt.download(packages, resolve(work, 'debs')),
  );
  progress(`unpacking ${debs.length} packages into ${prefix}`);
  mkdirSync(staging, { recursive: true });
  for (const deb of debs) await runCommand('dpkg', ['-x', deb, staging], { logFile });

  const unpacked = findLayout(staging, architecture, request);
  await assertLibrariesResolve(unpacked, request);
  const version = await request.verify(unpacked);
  const launcher = resolve(staging, request.launcher);
  symlinkSync(relative(staging, unpacked.loader), launcher);

  rmSync(prefix, { recursive: true, force: true });
  renameSync(staging, prefix);
  const relocate = (path: string) => relative(staging, path);
  const marker: Marker = {
    version,
    suite,
    packages: debs.map((deb) => deb.slice(deb.lastIndexOf('/') + 1)),
    loader: relocate(launcher),
    binary: relocate(unpacked.binary),
    libraryPath: unpacked.libraryPath.map(relocate),
  };
  rmSync(work, { recursive: true, force: true }); // lists and .deb files are not needed any more
  writeFileSync(resolve(home, MARKER), `${JSON.stringify(marker, null, 2)}\n`); // last: install is complete
  return fromMarker(marker, prefix);
}

// ---------------------------------------------------------------------------------------------
// The prefix and its marker

const MARKER = 'installed.json';
/** Multiarch folder and dynamic loader per Debian architecture. */
const ARCHITECTURES: Record<string, Architecture> = {
  amd64: { triplet: 'x86_64-linux-gnu', loader: 'ld-linux-x86-64.so.2' },
  arm64: { triplet: 'aarch64-linux-gnu', loader: 'ld-linux-aarch64.so.1' },
};

interface Architecture {
  readonly triplet: string;
  readonly loader: string;
}

/** Paths relative to the prefix, so the stack folder may move. */
type Marker = Omit<DebianPrefix, 'prefix'>;

function fromMarker(marker: Marker, prefix: string): DebianPrefix {
  const at = (path: string) => resolve(prefix, path);
  return {
    ...marker,
    prefix,
    loader: at(marker.loader),
    binary: at(marker.binary),
    libraryPath: marker.libraryPath.map(at),
  };
}

function findLayout(staging: string, architecture: Architecture, request: DebianPrefixRequest): LoaderLayout {
  const libraryPath = [`usr/lib/${architecture.triplet}`, `lib/${architecture.triplet}`] // merged /usr puts all in the first
    .map((dir) => resolve(staging, dir))
    .filter((dir) => existsSync(dir));
  const loader = libraryPath.map((dir) => resolve(dir, architecture.loader)).find((file) => existsSync(file));
  const binary = resolve(staging, request.binary);
  if (!loader || !existsSync(binary)) {
    throw new StackError(
      request.server,
      `unpacked packages lack ${architecture.loader} or ${request.binary} under ${staging}`,
    );
  }
  return { loader, binary, libraryPath };
}

/** A library missing from the packages would otherwise only show when the server fails to start. */
async function assertLibrariesResolve(unpacked: LoaderLayout, request: DebianPrefixRequest): Promise<void> {
  const found = await runCommand(unpacked.loader, [...libraryPathArgs(unpacked), '--list', unpacked.binary], {
    logFile: request.logFile,
    env: withoutHostLibraries(),
  });
  const missing = found.split('\n').filter((line) => /not found/.test(line));
  if (missing.length > 0) {
    throw new StackError(
      request.server,
      `the unpacked ${request.binary} misses libraries (add their packages to the package list):\n${missing.join('\n')}`,
    );
  }
}

function libraryPathArgs(layout: LoaderLayout): string[] {
  return ['--library-path', layout.libraryPath.join(':')];
}

function withoutHostLibraries(): NodeJS.ProcessEnv {
  const { LD_PRELOAD: _preload, LD_LIBRARY_PATH: _libraryPath, ...env } = process.env;
  return env;
}

// ---------------------------------------------------------------------------------------------
// Fetching with a private apt state

/** Where Debian installs its archive keyring (trixie and later name it .pgp). */
const SYSTEM_KEYRINGS = [
  '/usr/share/keyrings/debian-archive-keyring.pgp',
  '/usr/share/keyrings/debian-archive-keyring.gpg',
];

/** A private apt with the suite's lists fetched and verified. */
async function updatedApt(
  request: DebianPrefixRequest,
  mirror: DebianMirror,
  arch: string,
  work: string,
): Promise<PrivateApt> {
  const { suite, progress } = request;
  const apt = new PrivateApt(resolve(work, suite), request, {
    uris: mirror.uris,
    suites: [suite],
    arch,
    keyring: systemKeyring(),
  });
  try {
    await progress.during(`apt-get update for ${suite} (private lists, system apt untouched)`, apt.update());
  } catch (error) {
    if (!isSignatureError(error)) throw wrap(request, 'apt-get update failed', error);
    // This machine's archive keyring predates the suite's keys: take the newer debian-archive-keyring
    // package from the machine's own suites (verified by the keyring it has), then use its keys.
    if (mirror.ownSuites.length === 0)
      throw wrap(request, `the system's Debian archive keyring cannot verify ${suite}`, error);
    progress(
      `the system's Debian archive keyring cannot verify ${suite}: fetching a newer debian-archive-keyring from ${mirror.ownSuites.join(' ')}`,
    );
    const keyring = await newerKeyring(resolve(work, 'keyring'), request, mirror, arch);
    apt.useKeyring(keyring);
    await progress
      .during(`apt-get update for ${suite} with ${keyring}`, apt.update())
      .catch((retryError: unknown) => {
        throw wrap(request, `even the newest debian-archive-keyring cannot verify ${suite}`, retryError);
      });
  }
  return apt;
}

function systemKeyring(): string | undefined {
  return SYSTEM_KEYRINGS.find((file) => existsSync(file));
}

function isSignatureError(error: unknown): boolean {
  return /NO_PUBKEY|is not signed|EXPKEYSIG|KEYEXPIRED/.test((error as Error)?.message ?? '');
}

function wrap(request: DebianPrefixRequest, what: string, error: unknown): StackError {
  return new StackError(request.server, `${what}: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
  });
}

async function newerKeyring(
  dir: string,
  request: DebianPrefixRequest,
  mirror: DebianMirror,
  arch: string,
): Promise<string> {
  const own = new PrivateApt(resolve(dir, 'apt'), request, {
    uris: mirror.uris,
    suites: mirror.ownSuites,
    arch,
    keyring: systemKeyring(),
  });
  await request.progress
    .during(`apt-get update for ${mirror.ownSuites.join(' ')}`, own.update())
    .catch((error: unknown) => {
      throw wrap(request, `apt-get update for ${mirror.ownSuites.join(' ')} failed`, error);
    });
  const [deb] = await own.download(['debian-archive-keyring'], resolve(dir, 'debs'));
  const unpacked = resolve(dir, 'root');
  await runCommand('dpkg', ['-x', deb!, unpacked], { logFile: request.logFile });
  const keyring = SYSTEM_KEYRINGS.map((file) => resolve(unpacked, file.slice(1))).find((file) =>
    existsSync(file),
  );
  if (!keyring)
    throw new StackError(
      request.server,
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
async function debianMirror(request: DebianPrefixRequest): Promise<DebianMirror> {
  const withInfo = await indexTargets(request.logFile, true);
  let chosen = withInfo.filter((t) => t.origin === 'Debian' && t.label === 'Debian');
  if (chosen.length === 0) {
    const release = osRelease();
    const codename = release.VERSION_CODENAME;
    if (release.ID === 'debian' && codename) {
      chosen = (await indexTargets(request.logFile, false)).filter(
        (t) => t.release === codename || t.release === `${codename}-updates`,
      );
    }
  }
  const uris = [...new Set(chosen.map((t) => t.uri).filter((uri) => uri && !uri.startsWith('cdrom:')))];
  if (uris.length === 0) {
    throw new StackError(
      request.server,
      `found no Debian archive in this machine's apt sources to fetch ${request.product} (${request.suite}) from: ${request.otherwise}`,
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

/**
 * apt-get with its own sources, lists, cache, status and preferences under `root`. The machine's
 * apt.conf.d still applies (proxies, credentials, retries), except its update and dpkg hooks.
 */
class PrivateApt {
  constructor(
    private readonly root: string,
    private readonly request: Pick<DebianPrefixRequest, 'server' | 'logFile'>,
    private readonly source: { uris: string[]; suites: string[]; arch: string; keyring: string | undefined },
  ) {}

  useKeyring(file: string): void {
    this.source.keyring = file;
  }

  async update(): Promise<void> {
    this.prepare();
    await runCommand('apt-get', [...this.options(), '--error-on=any', 'update'], {
      logFile: this.request.logFile,
    });
  }

  /** Downloads the candidates of `packages` into `dir`; resolves to the .deb files. */
  async download(packages: readonly string[], dir: string): Promise<string[]> {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const sandbox = process.getuid?.() === 0 ? uidOf('_apt') : undefined;
    if (sandbox !== undefined) chownSync(dir, sandbox, -1); // apt downloads as _apt when it can write here
    await runCommand('apt-get', [...this.options(), 'download', ...packages], {
      logFile: this.request.logFile,
      cwd: dir,
    });
    const debs = readdirSync(dir).filter((file) => file.endsWith('.deb'));
    if (debs.length !== packages.length) {
      throw new StackError(
        this.request.server,
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
