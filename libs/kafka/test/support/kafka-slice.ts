import { testKafka, serverEnv, uniqueName, type TestKafka } from '@genstream/testing';
import { createEventCodec, deadLetterTopic, type EventInputTypes, type EventTypes } from '@genstream/events';
import {
  KafkaRuntime,
  committedTotal,
  defaultDeadLetterTopic,
  jsonLogger,
  readTopicRecords,
  type ConsumerSettings,
  type EventCodec,
  type KafkaRuntimeOptions,
  type Logger,
  type TopicRecord,
} from '@genstream/kafka';

export { eventually } from '@genstream/testing';

/**
 * A test's own slice of Kafka for runtime tests: testKafka's client, admin and group ids, plus
 * topic names whose topics (and `.dlq` topics) the runtime creates and this slice deletes.
 */
export interface KafkaSlice extends TestKafka {
  readonly brokers: string[];
  /** Unique topic names for these events, deleted with their dead-letter topics on release. */
  topicsFor<N extends string>(names: readonly N[]): Record<N, string>;
  /** The first `expected` records of `topic` (all partitions), read with a throwaway consumer. */
  readAll(topic: string, expected: number, timeoutMs?: number): Promise<TopicRecord[]>;
  /** Committed offsets of a group, summed over the topic's partitions. */
  committedTotal(groupId: string, topic: string): Promise<number>;
}

export type ReadRecord = TopicRecord;

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
    readAll: (topic, expected, timeoutMs) =>
      readTopicRecords(base.kafka, topic, expected, { timeoutMs, groupId: uniqueName('reader') }),
    committedTotal: (groupId, topic) => committedTotal(base.admin, groupId, topic),
    async [Symbol.asyncDispose]() {
      const existing = new Set(await base.admin.listTopics());
      const topics = owned.filter((topic) => existing.has(topic));
      if (topics.length > 0) await base.admin.deleteTopics({ topics });
      await base[Symbol.asyncDispose]();
    },
  };
}

/** Quiet unless a test needs to look: warnings and errors go to stderr. */
export function testLogger(): Logger {
  return jsonLogger(process.env.GENSTREAM_TEST_LOG === 'debug' ? 'debug' : 'error');
}

/** Every event of the contract, each on a topic of the slice. */
export type SliceTopics = Record<keyof EventTypes, string>;

/** New topic names of the slice for every event of the contract. */
export function sliceTopics(kafka: KafkaSlice): SliceTopics {
  return kafka.topicsFor(['GenerationRequested', 'ContentGenerated', 'ContentIndexed', 'GenerationFailed']);
}

export interface SliceRuntimeOptions {
  /**
   * Partitions of each topic the runtime creates on start; `false` creates none (the topics exist
   * already); omitted, the broker's default.
   */
  readonly partitions?: number | false;
  /** Added to the quick fetch (maxWaitMs 200), overriding it. */
  readonly consumer?: Partial<ConsumerSettings>;
  /** The topics of another runtime of the same test (default: new ones of the slice). */
  readonly topics?: SliceTopics;
  /** Default: the real codec with the contract's schemas. */
  readonly codec?: EventCodec<EventTypes, EventInputTypes>;
  readonly shutdownTimeoutMs?: number;
}

/**
 * The options of a runtime on the slice's own topics (every event of the contract), with the
 * test logger and a quick fetch: for a test that builds the runtime itself (a Nest module).
 */
export function sliceRuntimeOptions(
  kafka: KafkaSlice,
  service: string,
  options: SliceRuntimeOptions = {},
): { options: KafkaRuntimeOptions<EventTypes, EventInputTypes>; topics: SliceTopics } {
  const topics = options.topics ?? sliceTopics(kafka);
  const { partitions } = options;
  return {
    topics,
    options: {
      service,
      brokers: kafka.brokers,
      codec: options.codec ?? createEventCodec(),
      topics,
      deadLetterTopic,
      topicCreation:
        partitions === undefined || partitions === false ? partitions : { partitions, replicationFactor: 1 },
      consumer: { maxWaitMs: 200, ...options.consumer },
      shutdownTimeoutMs: options.shutdownTimeoutMs,
      logger: testLogger(),
    },
  };
}

/** A runtime on the slice's own topics (see sliceRuntimeOptions). */
export function sliceRuntime(kafka: KafkaSlice, service: string, options: SliceRuntimeOptions = {}) {
  const { options: runtimeOptions, topics } = sliceRuntimeOptions(kafka, service, options);
  return { runtime: new KafkaRuntime<EventTypes, EventInputTypes>(runtimeOptions), topics };
}
