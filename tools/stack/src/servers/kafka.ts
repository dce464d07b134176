import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { runCommand } from '../commands.js';
import type { StackConfig } from '../config.js';
import { StackError } from '../errors.js';
import { withInstallLock } from '../install-lock.js';
import { ensureJava, ensureMaven } from '../java.js';
import { isAlive, readPidRecords, spawnDetached, writePidRecords, type PidRecord } from '../processes.js';
import type { ServerDefinition } from '../server.js';
import { brokerAddresses, kafkaNodes, nodeProperties } from './kafka-nodes.js';

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

  localUrl: brokerAddresses,

  /** Every broker listed must answer: a restarted node of a cluster is ready only once it does itself. */
  async probe(url) {
    const listed = url.split(',').map((broker) => broker.trim());
    const joined = await Promise.all(listed.map(brokersSeenBy));
    // A cluster is ready once every node listed has joined it (topics need all three replicas).
    const fewest = Math.min(...joined);
    if (fewest < listed.length) throw new Error(`${fewest} of ${listed.length} brokers joined`);
    return undefined; // the Kafka protocol has no server version
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

  processCount: (config) => config.kafkaBrokers,

  async start({ config, paths, progress }) {
    const libs = libsDir(paths.home);
    if (!existsSync(resolve(libs, '.complete')))
      throw new StackError('kafka', `jars missing in ${libs}: run install first`);
    const java = (args: readonly string[]) => [
      `-Dlog4j2.configurationFile=${LOG4J_CONFIG}`,
      '-cp',
      `${libs}/*`, // java expands the wildcard itself
      ...args,
    ];
    const storageTool = (args: string[]) =>
      runCommand('java', java(['kafka.tools.StorageTool', ...args]), {
        logFile: paths.installLog,
        cwd: paths.home,
      });
    // A cluster's nodes restarted one by one (after a node was killed) keep the others running.
    const running = readPidRecords(paths.pidFile);
    const records: PidRecord[] = [];
    for (const [index, node] of kafkaNodes(config).entries()) {
      const alive = running[index];
      if (alive && isAlive(alive)) {
        records.push(alive);
        continue;
      }
      mkdirSync(node.dataDir, { recursive: true });
      // Rewritten on every start so a changed port offset takes effect; the identity lives in meta.properties.
      writeFileSync(node.propertiesFile, nodeProperties(config, node));
      if (!existsSync(resolve(node.dataDir, 'meta.properties'))) {
        progress(`formatting Kafka storage in ${node.dataDir}`);
        const clusterId = await clusterIdFor(config, paths.data, storageTool);
        await storageTool(['format', '-t', clusterId, '-c', node.propertiesFile]);
      }
      if (config.kafkaBrokers > 1) progress(`starting node ${node.id} of ${config.kafkaBrokers}`);
      records.push(
        spawnDetached('java', [...JVM_OPTIONS, ...java(['kafka.Kafka', node.propertiesFile])], {
          logFile: node.logFile,
          cwd: paths.home,
        }),
      );
    }
    writePidRecords(paths.pidFile, records);
    return records;
  },
};

/** How many brokers the cluster metadata of this one broker lists. */
async function brokersSeenBy(address: string): Promise<number> {
  const client = new Kafka({
    clientId: 'genstream-stack-probe',
    brokers: [address],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_500,
    requestTimeout: 2_500,
    retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 500 },
  });
  const admin = client.admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no Kafka metadata answer from ${address} within 5 s`)),
        5_000,
      );
    });
    const ask = async () => {
      await admin.connect();
      const { brokers } = await admin.describeCluster(); // a Metadata request
      if (brokers.length === 0) throw new Error(`metadata from ${address} lists no broker`);
      return brokers.length;
    };
    return await Promise.race([ask(), timeout]);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => undefined);
  }
}

const JVM_OPTIONS = [
  '-Xms256m',
  '-Xmx512m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];

/** A single broker gets a new identity when formatted; a cluster's nodes share one, kept beside them. */
async function clusterIdFor(
  config: StackConfig,
  clusterDir: string,
  storageTool: (args: string[]) => Promise<string>,
): Promise<string> {
  const idFile = resolve(clusterDir, 'cluster-id');
  if (config.kafkaBrokers > 1 && existsSync(idFile)) return readFileSync(idFile, 'utf8').trim();
  const clusterId = (await storageTool(['random-uuid'])).trim().split('\n').at(-1)!.trim();
  if (config.kafkaBrokers > 1) {
    mkdirSync(clusterDir, { recursive: true });
    writeFileSync(idFile, clusterId);
  }
  return clusterId;
}

function libsDir(home: string): string {
  return resolve(home, `libs-${KAFKA_VERSION}`);
}
