import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { runCommand } from './commands.js';
import type { ServerName } from './config.js';
import { debianMirror } from './debian-mirror.js';
import { StackError } from './errors.js';
import type { Progress } from './progress.js';
import { updatedApt } from './verified-apt.js';

/**
 * Debian packages of another suite (say trixie's on a bookworm machine), unpacked into a private
 * prefix and run through that prefix's own dynamic loader, so no library of the host mixes in.
 * They come from the Debian mirror this machine's apt already uses, fetched with a private apt
 * state (private-apt.ts, verified-apt.ts): the system's lists, status and hooks are left alone.
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
