import { spawnSync } from 'node:child_process';
import { runCommand, which } from './commands.js';
import type { ServerName } from './config.js';
import { StackError } from './errors.js';
import type { ServerContext } from './server.js';

/** The servers that run on the JVM (Kafka, the schema registry) need this Java release or newer. */
export const MIN_JAVA = 17;
const JRE_PACKAGE = 'openjdk-17-jre-headless';

/** One apt-get at a time: two servers installing Java at once would fight over the dpkg lock. */
let javaInstall: Promise<void> | undefined;

/**
 * Makes sure `java` on PATH is Java 17+; when it is missing or older and we run as root, installs
 * Debian's headless JRE. `server` and `product` only name who needs it in the error messages.
 */
export async function ensureJava(server: ServerName, product: string, context: ServerContext): Promise<void> {
  const found = await javaMajor();
  if (found !== undefined && found >= MIN_JAVA) return;
  const what = found === undefined ? 'Java is not installed' : `Java ${found} is too old`;
  if (process.getuid?.() !== 0) {
    throw new StackError(
      server,
      `${what}; ${product} needs Java ${MIN_JAVA}+: run \`sudo apt-get install -y ${JRE_PACKAGE}\``,
    );
  }
  javaInstall ??= installJre(context).finally(() => (javaInstall = undefined));
  await javaInstall;
  const installed = await javaMajor();
  if (installed === undefined || installed < MIN_JAVA) {
    throw new StackError(
      server,
      `${JRE_PACKAGE} was installed but \`java\` on PATH is still ${installed ?? 'missing'}`,
    );
  }
}

async function installJre({ paths, progress }: ServerContext): Promise<void> {
  const logFile = paths.installLog;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await progress.during(
    `installing ${JRE_PACKAGE}`,
    (async () => {
      await runCommand('apt-get', ['update', '-q'], { logFile, env });
      await runCommand('apt-get', ['install', '-y', '-q', '--no-install-recommends', JRE_PACKAGE], {
        logFile,
        env,
      });
    })(),
  );
}

/** Major version of the `java` on PATH (`java -version` prints e.g. `openjdk version "17.0.15"` on stderr). */
export async function javaMajor(): Promise<number | undefined> {
  if (!(await which('java'))) return undefined;
  const { stderr } = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(stderr ?? '');
  if (!match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]); // Java 8 and older say "1.8.0_…"
}

/** Both JVM servers are fetched (and the registry built) by Maven. */
export async function ensureMaven(server: ServerName, why: string): Promise<void> {
  if (!(await which('mvn'))) {
    throw new StackError(server, `Maven is needed ${why}: run \`sudo apt-get install -y maven\``);
  }
}
