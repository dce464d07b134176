import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { runCommand, which } from '../commands.js';
import type { StackConfig } from '../config.js';
import { StackError } from '../errors.js';
import { spawnDetached } from '../processes.js';
import type { ServerContext, ServerDefinition } from '../server.js';

const KAFKA_DIR = resolve(import.meta.dirname, '../../kafka');
const POM = resolve(KAFKA_DIR, 'pom.xml');
const LOG4J_CONFIG = resolve(KAFKA_DIR, 'log4j2.properties');
const MIN_JAVA = 17;

/** The one place the version lives is pom.xml; read it rather than repeating it. */
const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(POM, 'utf8'))?.[1];
if (!KAFKA_VERSION) throw new Error(`no <kafka.version> in ${POM}`);

export const kafka: ServerDefinition = {
  name: 'kafka',
  product: 'Apache Kafka',
  localVersion: KAFKA_VERSION,
  stopSignal: 'SIGTERM', // controlled shutdown: flush logs, write the clean-shutdown marker
  startTimeoutMs: 90_000,

  localUrl: (config: StackConfig) => `${config.host}:${config.ports.kafka}`,

  async probe(url) {
    const client = new Kafka({
      clientId: 'genstream-stack-probe',
      brokers: url.split(',').map((broker) => broker.trim()),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_500,
      requestTimeout: 2_500,
      retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 500 },
    });
    const admin = client.admin();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no Kafka metadata answer from ${url} within 5 s`)), 5_000);
      });
      const ask = async () => {
        await admin.connect();
        const { brokers } = await admin.describeCluster(); // a Metadata request
        if (brokers.length === 0) throw new Error('metadata lists no broker');
      };
      await Promise.race([ask(), timeout]);
      return undefined; // the Kafka protocol has no server version
    } finally {
      clearTimeout(timer);
      await admin.disconnect().catch(() => undefined);
    }
  },

  async install({ paths, progress }) {
    await ensureJava(paths.installLog, progress);
    if (!(await which('mvn'))) {
      throw new StackError(
        'kafka',
        'Maven is needed to fetch the Kafka jars: run `sudo apt-get install -y maven`',
      );
    }
    const libs = libsDir(paths.home);
    const marker = resolve(libs, '.complete');
    const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
    if (existsSync(marker) && readFileSync(marker, 'utf8') === pomHash) return;

    rmSync(libs, { recursive: true, force: true }); // an interrupted or outdated download is redone whole
    mkdirSync(libs, { recursive: true });
    await progress.during(
      `downloading Apache Kafka ${KAFKA_VERSION} jars with Maven (log: ${paths.installLog})`,
      runCommand(
        'mvn',
        [
          '-B',
          '-q',
          '-Dstyle.color=never',
          '-f',
          POM,
          'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${libs}`,
        ],
        { logFile: paths.installLog, cwd: KAFKA_DIR },
      ),
    );
    writeFileSync(marker, pomHash);
  },

  async start({ config, paths, progress }) {
    const libs = libsDir(paths.home);
    if (!existsSync(resolve(libs, '.complete')))
      throw new StackError('kafka', `jars missing in ${libs}: run install first`);
    const classpath = `${libs}/*`; // java expands the wildcard itself
    const properties = resolve(paths.home, 'server.properties');
    mkdirSync(paths.data, { recursive: true });
    // Rewritten on every start so a changed port offset takes effect; the cluster identity lives in meta.properties.
    writeFileSync(properties, serverProperties(config, paths.data));

    if (!existsSync(resolve(paths.data, 'meta.properties'))) {
      progress(`formatting Kafka storage in ${paths.data}`);
      const storageTool = (args: string[]) =>
        runCommand(
          'java',
          [
            `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
            '-cp',
            classpath,
            'kafka.tools.StorageTool',
            ...args,
          ],
          {
            logFile: paths.installLog,
            cwd: paths.home,
          },
        );
      const clusterId = (await storageTool(['random-uuid'])).trim().split('\n').at(-1)!.trim();
      await storageTool(['format', '-t', clusterId, '-c', properties]);
    }

    return spawnDetached(
      'java',
      [
        '-Xms256m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
        '-cp',
        classpath,
        'kafka.Kafka',
        properties,
      ],
      { logFile: paths.log, pidFile: paths.pidFile, cwd: paths.home },
    );
  },
};

function libsDir(home: string): string {
  return resolve(home, `libs-${KAFKA_VERSION}`);
}

/** Single KRaft node acting as broker and controller, loopback only. */
function serverProperties(config: StackConfig, dataDir: string): string {
  const { host, ports } = config;
  return `${[
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${ports.kafkaController}`,
    `listeners=PLAINTEXT://${host}:${ports.kafka},CONTROLLER://${host}:${ports.kafkaController}`,
    `advertised.listeners=PLAINTEXT://${host}:${ports.kafka}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'auto.create.topics.enable=false', // genstream creates its topics explicitly
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'min.insync.replicas=1',
    'group.initial.rebalance.delay.ms=0', // no 3 s wait before the first rebalance: tests stay fast
  ].join('\n')}\n`;
}

async function ensureJava(logFile: string, progress: ServerContext['progress']): Promise<void> {
  const found = await javaMajor();
  if (found !== undefined && found >= MIN_JAVA) return;
  const what = found === undefined ? 'Java is not installed' : `Java ${found} is too old`;
  if (process.getuid?.() !== 0) {
    throw new StackError(
      'kafka',
      `${what}; Kafka needs Java ${MIN_JAVA}+: run \`sudo apt-get install -y openjdk-17-jre-headless\``,
    );
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await progress.during(
    'installing openjdk-17-jre-headless',
    (async () => {
      await runCommand('apt-get', ['update', '-q'], { logFile, env });
      await runCommand(
        'apt-get',
        ['install', '-y', '-q', '--no-install-recommends', 'openjdk-17-jre-headless'],
        { logFile, env },
      );
    })(),
  );
  const installed = await javaMajor();
  if (installed === undefined || installed < MIN_JAVA) {
    throw new StackError(
      'kafka',
      `openjdk-17-jre-headless was installed but \`java\` on PATH is still ${installed ?? 'missing'}`,
    );
  }
}

/** Major version of the `java` on PATH (`java -version` prints e.g. `openjdk version "17.0.15"` on stderr). */
async function javaMajor(): Promise<number | undefined> {
  if (!(await which('java'))) return undefined;
  const { stderr } = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(stderr ?? '');
  if (!match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]); // Java 8 and older say "1.8.0_…"
}
