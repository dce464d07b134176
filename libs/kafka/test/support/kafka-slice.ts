import { testKafka, serverEnv, uniqueName, type TestKafka } from '@genstream/testing';
import { createEventCodec, deadLetterTopic, type EventInputTypes, type EventTypes } from '@genstream/events';
import {
  KafkaRuntime,
  defaultDeadLetterTopic,
  jsonLogger,
  type ConsumerSettings,
  type Logger,
} from '@genstream/kafka';
import type { IHeaders, KafkaMessage } from 'kafkajs';

/**
 * A test's own slice of Kafka for runtime tests: testKafka's client, admin and group ids, plus
 * topic names whose topics (and `.dlq` topics) the runtime creates and this slice deletes.
 */
export interface KafkaSlice extends TestKafka {
  readonly brokers: string[];
  /** Unique topic names for these events, deleted with their dead-letter topics on release. */
  topicsFor<N extends string>(names: readonly N[]): Record<N, string>;
  /** Every record currently in `topic` (all partitions), read with a throwaway consumer. */
  readAll(topic: string, expected: number, timeoutMs?: number): Promise<ReadRecord[]>;
  /** Committed offsets of a group, summed over the topic's partitions. */
  committedTotal(groupId: string, topic: string): Promise<number>;
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

export async function kafkaSlice(label: string): Promise<KafkaSlice> {
  const base = await testKafka(label);
  const owned: string[] = [];
  const brokers = serverEnv().KAFKA_BROKERS.split(',');
  return {
    ...base,
    brokers,
    topicsFor(names) {
      const topics = Object.fromEntries(
        names.map((name) => [name, uniqueName(`${label}_${name}`)]),
      ) as Record<(typeof names)[number], string>;
      for (const topic of Object.values<string>(topics)) owned.push(topic, defaultDeadLetterTopic(topic));
      return topics;
    },
    async readAll(topic, expected, timeoutMs = 60_000) {
      const consumer = base.kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
      const records: ReadRecord[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        const done = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`read ${records.length} of ${expected} records from ${topic}`)),
            timeoutMs,
          );
          void consumer.run({
            eachMessage: async ({ partition, message }) => {
              records.push(asRead(partition, message));
              if (records.length >= expected) {
                clearTimeout(timer);
                resolve();
              }
            },
          });
        });
        if (expected > 0) await done;
        else await new Promise((resolve) => setTimeout(resolve, 1_000));
      } finally {
        await consumer.disconnect();
      }
      return records;
    },
    async committedTotal(groupId, topic) {
      const [offsets] = await base.admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    },
    async [Symbol.asyncDispose]() {
      const existing = new Set(await base.admin.listTopics());
      const topics = owned.filter((topic) => existing.has(topic));
      if (topics.length > 0) await base.admin.deleteTopics({ topics });
      await base[Symbol.asyncDispose]();
    },
  };
}

function asRead(partition: number, message: KafkaMessage): ReadRecord {
  return {
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
  };
}

/** Quiet unless a test needs to look: warnings and errors go to stderr. */
export function testLogger(): Logger {
  return jsonLogger(process.env.GENSTREAM_TEST_LOG === 'debug' ? 'debug' : 'error');
}

/** Polls `check` until it returns true. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A runtime on the slice's own topics (every event of the contract, `partitions` each), with the
 * test logger and quick consumer settings; `consumer` overrides them.
 */
export function sliceRuntime(
  kafka: KafkaSlice,
  service: string,
  options: { partitions: number; consumer?: Partial<ConsumerSettings> },
) {
  const topics = kafka.topicsFor([
    'GenerationRequested',
    'ContentGenerated',
    'ContentIndexed',
    'GenerationFailed',
  ]);
  const runtime = new KafkaRuntime<EventTypes, EventInputTypes>({
    service,
    brokers: kafka.brokers,
    codec: createEventCodec(),
    topics,
    deadLetterTopic,
    topicCreation: { partitions: options.partitions, replicationFactor: 1 },
    consumer: { heartbeatIntervalMs: 1_000, maxWaitMs: 200, ...options.consumer },
    logger: testLogger(),
  });
  return { runtime, topics };
}
