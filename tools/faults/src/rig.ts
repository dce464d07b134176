import { appendFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { TOPICS, deadLetterTopic } from '@genstream/events';
import { parseDeadLetter, readTopicRange } from '@genstream/kafka';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  KafkaProbe,
  LastLines,
  describeExit,
  SERVICE_NAMES,
  StoreReader,
  freePorts,
  startServices,
  type PartitionEnd,
  type RunningServices,
  type ServiceName,
} from '@genstream/launcher';
import { FaultStack, type FaultStackSettings } from './fault-stack.js';
import type { KafkaEvidence } from './reconcile.js';

/** The topics each service consumes, under its group `genstream.<service>`. */
export const CONSUMED_TOPICS: Readonly<Record<ServiceName, readonly string[]>> = {
  generation: [TOPICS.GenerationRequested],
  'metadata-writer': [TOPICS.ContentGenerated],
  'document-writer': [TOPICS.ContentGenerated],
  'cache-updater': [TOPICS.ContentGenerated, TOPICS.GenerationFailed],
  'embedding-indexer': [TOPICS.ContentGenerated],
};

export const groupOf = (service: ServiceName): string => `genstream.${service}`;

/** Where the pipeline's work for a case shows up: its outputs and every dead-letter topic. */
const EVIDENCE_TOPICS = [
  TOPICS.ContentGenerated,
  TOPICS.GenerationFailed,
  ...[TOPICS.GenerationRequested, TOPICS.ContentGenerated, TOPICS.GenerationFailed].map(deadLetterTopic),
];

/** The stores counted while a case runs, by the server that holds them. */
const COUNTED_STORES = ['postgres', 'mongo', 'redis'] as const;
export type CountedStore = (typeof COUNTED_STORES)[number];

export type Offsets = ReadonlyMap<string, readonly PartitionEnd[]>;

/**
 * Everything a fault case works with: the suite's stack, the five services (restartable), a reader
 * of the four stores and a Kafka probe. Services log at warn; their last lines are kept to explain
 * a failure.
 */
export class FaultRig implements AsyncDisposable {
  private constructor(
    readonly stack: FaultStack,
    readonly services: RunningServices,
    readonly reader: StoreReader,
    readonly probe: KafkaProbe,
    readonly serviceOutput: LastLines,
  ) {}

  static async open(settings: FaultStackSettings, serviceEnv: NodeJS.ProcessEnv = {}): Promise<FaultRig> {
    const stack = new FaultStack(settings);
    const env = stack.env;
    const output = new LastLines(300);
    // GENSTREAM_FAULTS_LOG_DIR keeps every line of every service, one file each, to dig into a failure.
    const logDir = process.env.GENSTREAM_FAULTS_LOG_DIR;
    if (logDir) mkdirSync(logDir, { recursive: true });
    const ports = await freePorts(SERVICE_NAMES.length);
    const services = await startServices({
      env: {
        ...cleanEnv(),
        ...env,
        LOG_LEVEL: process.env.GENSTREAM_FAULTS_LOG_LEVEL ?? 'warn',
        ...serviceEnv,
      },
      ports: Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, ports[i]!])),
      onLine: (service, line) => {
        output.add(`${service} | ${line}`);
        if (logDir) appendFileSync(resolve(logDir, `${service}.log`), `${line}\n`);
      },
      timeoutMs: 120_000,
    });
    try {
      const reader = await StoreReader.connect({
        DATABASE_URL: env.DATABASE_URL!,
        MONGO_URL: env.MONGO_URL!,
        REDIS_URL: env.REDIS_URL!,
      });
      const probe = await KafkaProbe.connect({ brokers: env.KAFKA_BROKERS! });
      return new FaultRig(stack, services, reader, probe, output);
    } catch (error) {
      await services.stop();
      throw error;
    }
  }

  get brokers(): string {
    return this.stack.env.KAFKA_BROKERS!;
  }

  /** Current ends of the output and dead-letter topics: where a case's evidence starts. */
  evidenceOffsets(): Promise<Offsets> {
    return this.endsOf(EVIDENCE_TOPICS);
  }

  /** What was published on the output and dead-letter topics between two snapshots. */
  async evidenceBetween(from: Offsets, to: Offsets): Promise<KafkaEvidence> {
    const read = (topic: string) => readTopicRange(this.probe.kafka, topic, from.get(topic)!, to.get(topic)!);
    const keysOf = (records: Awaited<ReturnType<typeof read>>) =>
      records.flatMap((record) => (record.key ? [record.key.toString()] : []));
    const generated = await read(TOPICS.ContentGenerated);
    const failures = [];
    for (const record of await read(TOPICS.GenerationFailed)) {
      // Poison a case put there itself does not decode: it is accounted for by the dead letters.
      const event = await this.probe.codec.decode('GenerationFailed', record.value!).catch(() => undefined);
      if (event) failures.push({ requestId: event.requestId, reasonCode: event.reasonCode });
    }
    const deadLetters = [];
    for (const topic of EVIDENCE_TOPICS.filter((name) => name.endsWith('.dlq'))) {
      deadLetters.push(...(await read(topic)).map((record) => parseDeadLetter(record)));
    }
    return { generatedKeys: keysOf(generated), failures, deadLetters };
  }

  /**
   * Waits until every group has committed all it consumes, up to the topics' ends now: in order
   * along the pipeline, since generation's output is the writers' input.
   */
  async waitAllCaughtUp(timeoutMs = 180_000): Promise<void> {
    await this.waitCaughtUp(['generation'], timeoutMs);
    await this.waitCaughtUp(
      SERVICE_NAMES.filter((name) => name !== 'generation'),
      timeoutMs,
    );
  }

  /** Waits until these services' groups have committed up to the current ends of their topics. */
  async waitCaughtUp(services: readonly ServiceName[], timeoutMs = 180_000, upTo?: Offsets): Promise<void> {
    for (const service of services) {
      for (const topic of CONSUMED_TOPICS[service]) {
        await this.probe.waitGroupsCaughtUp([groupOf(service)], topic, timeoutMs, upTo?.get(topic));
      }
    }
  }

  /**
   * `work`, unless a service dies meanwhile: a crash is a bug the case must report at once (with
   * the service's last lines), not after its wait times out.
   */
  async failOnCrash<T>(work: Promise<T>): Promise<T> {
    let watching = true;
    const crash = (async (): Promise<never> => {
      while (watching) {
        const dead = this.services.services.find((service) => service.exit !== undefined);
        if (dead) {
          throw new Error(
            `${dead.name} died (${describeExit(dead.exit!)}); its last lines:\n${dead.lastLines(60).join('\n')}`,
          );
        }
        await sleep(250);
      }
      return undefined as never;
    })();
    try {
      return await Promise.race([work, crash]);
    } finally {
      watching = false;
    }
  }

  /** Ends of the topics these services consume (for waitCaughtUp's `upTo`). */
  consumedOffsets(services: readonly ServiceName[]): Promise<Offsets> {
    return this.endsOf(new Set(services.flatMap((service) => CONSUMED_TOPICS[service])));
  }

  private async endsOf(topics: Iterable<string>): Promise<Offsets> {
    const ends = new Map<string, PartitionEnd[]>();
    for (const topic of topics) ends.set(topic, await this.probe.topicEnds(topic));
    return ends;
  }

  /** Requests each store has now (for "in flight"): the fewest of them. */
  async storedCount(): Promise<number> {
    return Math.min(...Object.values(await this.storeCounts()));
  }

  /** How many contents PostgreSQL, MongoDB and the vector set hold, leaving out `skip` (e.g. a stopped one). */
  async storeCounts(skip: readonly CountedStore[] = []): Promise<Partial<Record<CountedStore, number>>> {
    const count: Record<CountedStore, () => Promise<number>> = {
      postgres: async () =>
        (await this.reader.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM ai_generated_content'))
          .rows[0]!.n,
      mongo: () => this.reader.documents.countDocuments({}),
      redis: () => this.reader.vectorCount(),
    };
    const stores = COUNTED_STORES.filter((store) => !skip.includes(store));
    const counts = await Promise.all(stores.map((store) => count[store]()));
    return Object.fromEntries(stores.map((store, i) => [store, counts[i]!]));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    await this.probe.close();
    await this.reader.close();
    await this.services.stop(20_000);
  }
}

/** This process's environment without server variables a developer may have set for another stack. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['KAFKA_BROKERS', 'DATABASE_URL', 'MONGO_URL', 'REDIS_URL', 'SCHEMA_REGISTRY_URL']) {
    delete env[name];
  }
  return env;
}
