import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCommand } from './commands.js';
import type { DebianMirror } from './debian-mirror.js';
import type { DebianPrefixRequest } from './debian-prefix.js';
import { StackError } from './errors.js';
import { PrivateApt } from './private-apt.js';

// A private apt whose lists of another suite are verified: with the system's archive keyring, or
// else with a newer debian-archive-keyring package fetched from the machine's own suites.

/** Where Debian installs its archive keyring (trixie and later name it .pgp). */
const SYSTEM_KEYRINGS = [
  '/usr/share/keyrings/debian-archive-keyring.pgp',
  '/usr/share/keyrings/debian-archive-keyring.gpg',
];

/** A private apt with the suite's lists fetched and verified. */
export async function updatedApt(
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
