import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { runCommand } from '../commands.js';
import type { StackConfig } from '../config.js';
import { StackError } from '../errors.js';
import { withInstallLock } from '../install-lock.js';
import { ensureJava, ensureMaven } from '../java.js';
import { spawnDetached } from '../processes.js';
import type { ServerDefinition } from '../server.js';

const KAFKA_DIR = resolve(import.meta.dirname, '../../kafka');
const POM = resolve(KAFKA_DIR, 'pom.xml');
const LOG4J_CONFIG = resolve(KAFKA_DIR, 'log4j2.properties');

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

  async install(context) {
    const { paths, progress } = context;
    await ensureJava('kafka', 'Kafka', context);
    await ensureMaven('kafka', 'to fetch the Kafka jars');
    const libs = libsDir(paths.home);
    const marker = resolve(libs, '.complete');
    const pomHash = createHash('sha256').update(readFileSync(POM)).digest('hex');
    const fetched = () => existsSync(marker) && readFileSync(marker, 'utf8') === pomHash;
    if (fetched()) return;

    await withInstallLock(paths.home, progress, async () => {
      if (fetched()) return; // fetched by the `up` we waited for
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
    });
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
