import { readFileSync } from 'node:fs';
import { runCommand } from './commands.js';
import type { DebianPrefixRequest } from './debian-prefix.js';
import { StackError } from './errors.js';

// Which Debian archive to fetch another suite's packages from: the one this machine already trusts.

export interface DebianMirror {
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
export async function debianMirror(
  request: Pick<DebianPrefixRequest, 'server' | 'product' | 'suite' | 'otherwise' | 'logFile'>,
): Promise<DebianMirror> {
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
