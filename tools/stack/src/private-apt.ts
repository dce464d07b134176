import { chownSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCommand } from './commands.js';
import type { ServerName } from './config.js';
import { StackError } from './errors.js';

/** Where a private apt's packages come from. */
export interface AptSource {
  readonly uris: string[];
  readonly suites: string[];
  readonly arch: string;
  /** Replaced by useKeyring when the system's keyring cannot verify the suite. */
  keyring: string | undefined;
}

/**
 * apt-get with its own sources, lists, cache, status and preferences under `root`. The machine's
 * apt.conf.d still applies (proxies, credentials, retries), except its update and dpkg hooks.
 */
export class PrivateApt {
  constructor(
    private readonly root: string,
    private readonly request: { readonly server: ServerName; readonly logFile: string },
    private readonly source: AptSource,
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
    const settings: Record<string, string> = {
      'Dir::State': at('state'),
      'Dir::State::Lists': at('state/lists'),
      'Dir::State::status': at('state/status'),
      'Dir::Cache': at('cache'),
      'Dir::Cache::Archives': at('cache/archives'),
      'Dir::Etc::SourceList': at('sources.list'),
      'Dir::Etc::SourceParts': at('sources.list.d'),
      'Dir::Etc::Preferences': at('preferences'),
      'Dir::Etc::PreferencesParts': at('preferences.d'),
      'Acquire::Languages': 'none',
    };
    return [
      '-c',
      at('apt.conf'),
      ...Object.entries(settings).flatMap(([key, value]) => ['-o', `${key}=${value}`]),
    ];
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
