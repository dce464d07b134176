import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { runCommand } from '../commands.js';
import type { StackConfig } from '../config.js';
import { StackError } from '../errors.js';
import { spawnDetached } from '../processes.js';
import type { ServerDefinition } from '../server.js';

const DEBIAN_BIN_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'genstream';
const DATABASE = 'genstream';

export const postgres: ServerDefinition = {
  name: 'postgres',
  product: 'PostgreSQL',
  stopSignal: 'SIGINT', // "fast" shutdown: roll back open transactions, checkpoint, exit
  startTimeoutMs: 60_000,

  localUrl: (config: StackConfig) =>
    `postgres://${SUPERUSER}@${config.host}:${config.ports.postgres}/${DATABASE}`,

  async probe(url) {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 3_000,
      query_timeout: 3_000,
    });
    await client.connect();
    try {
      const { rows } = await client.query<{ one: number; version: string }>(
        `SELECT 1 AS one, current_setting('server_version') AS version`,
      );
      if (rows[0]?.one !== 1) throw new Error('SELECT 1 did not return 1');
      return rows[0].version;
    } finally {
      await client.end();
    }
  },

  async install({ paths, progress }) {
    if (binDir()) return;
    if (process.getuid?.() !== 0) {
      throw new StackError(
        'postgres',
        'PostgreSQL is not installed: run `sudo apt-get install -y postgresql`',
      );
    }
    await progress.during(
      "installing Debian's postgresql package (binaries only, no system cluster)",
      installDebianPackage(paths.installLog),
    );
  },

  async start({ config, paths, progress }) {
    const bin = binDir();
    if (!bin) throw new StackError('postgres', `no PostgreSQL binaries under ${DEBIAN_BIN_ROOT}`);
    const owner = serverUser();
    const fresh = !existsSync(`${paths.data}/PG_VERSION`);
    if (fresh) {
      mkdirSync(dirname(paths.data), { recursive: true }); // parents stay reachable by user postgres
      mkdirSync(paths.data, { recursive: true, mode: 0o700 });
      if (owner) chownSync(paths.data, owner.uid, owner.gid);
      assertReachableBy(owner, paths.data);
      progress(`creating a private cluster in ${paths.data}`);
      await runCommand(
        `${bin}/initdb`,
        [
          '-D',
          paths.data,
          '-U',
          SUPERUSER,
          '--auth=trust',
          '--encoding=UTF8',
          '--no-locale',
          '--no-instructions',
        ],
        { logFile: paths.installLog, ...owner },
      );
    }
    const record = spawnDetached(
      `${bin}/postgres`,
      [
        '-D',
        paths.data,
        '-p',
        String(config.ports.postgres),
        '-c',
        `listen_addresses=${config.host}`,
        '-c',
        'unix_socket_directories=', // TCP only: no socket path in a shared /var/run
      ],
      { logFile: paths.log, pidFile: paths.pidFile, ...owner },
    );
    if (fresh) await createDatabase(postgres.localUrl(config), record.pid);
    return record;
  },
};

/** Newest Debian PostgreSQL major version's bin folder, if any is installed. */
function binDir(): string | undefined {
  if (!existsSync(DEBIAN_BIN_ROOT)) return undefined;
  const majors = readdirSync(DEBIAN_BIN_ROOT)
    .filter((entry) => existsSync(`${DEBIAN_BIN_ROOT}/${entry}/bin/postgres`))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] && `${DEBIAN_BIN_ROOT}/${majors[0]}/bin`;
}

/** PostgreSQL refuses to run as root; as root we run it as Debian's `postgres` user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = ['-u', '-g'].map((flag) =>
    Number(execFileSync('id', [flag, 'postgres']).toString().trim()),
  );
  return { uid: uid!, gid: gid! };
}

function assertReachableBy(owner: { uid: number; gid: number } | undefined, folder: string): void {
  if (!owner) return;
  try {
    execFileSync('test', ['-w', folder], { uid: owner.uid, gid: owner.gid });
  } catch {
    throw new StackError(
      'postgres',
      `user postgres cannot reach ${folder} (a parent folder is private); set GENSTREAM_STACK_DIR to a folder it can reach`,
    );
  }
}

async function installDebianPackage(logFile: string): Promise<void> {
  // The package would otherwise create and start a system cluster on port 5432; we only want binaries.
  const createClusterConf = '/etc/postgresql-common/createcluster.conf';
  if (!existsSync(createClusterConf)) {
    mkdirSync(dirname(createClusterConf), { recursive: true });
    writeFileSync(createClusterConf, 'create_main_cluster = false\n');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runCommand('apt-get', ['update', '-q'], { logFile, env });
  await runCommand(
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confold', 'postgresql'],
    { logFile, env },
  );
}

/** The first start also creates the `genstream` database that DATABASE_URL names. */
async function createDatabase(url: string, pid: number): Promise<void> {
  const adminUrl = url.replace(/\/[^/]*$/, '/postgres');
  const deadline = Date.now() + postgres.startTimeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query(`CREATE DATABASE ${DATABASE}`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code === '42P04') return; // created by an earlier attempt
      if (Date.now() > deadline)
        throw new StackError(
          'postgres',
          `could not create database ${DATABASE} (pid ${pid}): ${String(error)}`,
          {
            cause: error,
          },
        );
      await sleep(300);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
