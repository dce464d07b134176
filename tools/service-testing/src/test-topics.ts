import {
  createEventCodec,
  deadLetterTopic,
  type EventInputTypes,
  type EventName,
  type EventTypes,
} from '@genstream/events';
import { serverEnv, testKafka, uniqueName } from '@genstream/testing';
import { DEAD_LETTER_HEADERS, committedTotal, readTopicRecords } from '@genstream/kafka';
import { Partitioners, type Producer } from 'kafkajs';
import { topicsFor } from '@genstream/service';

/**
 * A test's own copy of the contract's topics: TOPIC_PREFIX for the service under test, a producer
 * that publishes with the real codec, a reader, and on release every topic and consumer group
 * under the prefix is deleted.
 */
export interface TestTopics extends AsyncDisposable {
  /** The TOPIC_PREFIX value (ends with a dot). */
  readonly prefix: string;
  readonly topics: Record<EventName, string>;
  /** KAFKA_BROKERS and TOPIC_PREFIX, to merge into the service's environment. */
  readonly env: { readonly KAFKA_BROKERS: string; readonly TOPIC_PREFIX: string };
  /** Encodes with the real codec (single-object encoding) and sends, keyed by requestId. */
  publish<N extends EventName>(name: N, events: readonly EventInputTypes[N][]): Promise<void>;
  /** Every event on the topic of `name`, decoded, once `expected` of them have arrived. */
  read<N extends EventName>(name: N, expected: number, timeoutMs?: number): Promise<EventTypes[N][]>;
  /** Dead letters of the topic of `name`: the original event and the reason code header. */
  deadLetters<N extends EventName>(
    name: N,
    expected: number,
    timeoutMs?: number,
  ): Promise<{ event: EventTypes[N]; reasonCode: string }[]>;
  /** Committed offsets of a group on the topic of `name`, summed over partitions. */
  committed(groupId: string, name: EventName): Promise<number>;
}

export async function testTopics(label: string): Promise<TestTopics> {
  const base = await testKafka(label);
  const prefix = `${uniqueName(label)}.`;
  const topics = topicsFor(prefix) as Record<EventName, string>;
  const codec = createEventCodec();
  // The contract's topics hold no tombstones: every record carries an event.
  const readTopic = async (topic: string, expected: number, timeoutMs?: number) =>
    (await readTopicRecords(base.kafka, topic, expected, { timeoutMs, groupId: uniqueName('reader') })).map(
      (record) => ({ ...record, value: record.value ?? Buffer.alloc(0) }),
    );
  let producer: Producer | undefined;

  return {
    prefix,
    topics,
    env: { KAFKA_BROKERS: serverEnv().KAFKA_BROKERS, TOPIC_PREFIX: prefix },
    async publish(name, events) {
      if (producer === undefined) {
        // Idempotent: a send retried after "not the leader" (a topic just created) must not land
        // twice on the partitions where the first try went through, or a test's counts are off.
        producer = base.kafka.producer({
          createPartitioner: Partitioners.DefaultPartitioner,
          idempotent: true,
          maxInFlightRequests: 1,
        });
        await producer.connect();
      }
      const messages = await Promise.all(
        events.map(async (event) => ({
          key: (event as { requestId?: string }).requestId ?? null,
          value: await codec.encode(name, event),
        })),
      );
      await producer.send({ topic: topics[name], messages });
    },
    async read(name, expected, timeoutMs) {
      const records = await readTopic(topics[name], expected, timeoutMs);
      return Promise.all(records.map((record) => codec.decode(name, record.value)));
    },
    async deadLetters(name, expected, timeoutMs) {
      const records = await readTopic(deadLetterTopic(topics[name]), expected, timeoutMs);
      return Promise.all(
        records.map(async (record) => ({
          event: await codec.decode(name, record.value),
          reasonCode: record.headers[DEAD_LETTER_HEADERS.reasonCode]?.toString() ?? '',
        })),
      );
    },
    async committed(groupId, name) {
      return committedTotal(base.admin, groupId, topics[name]);
    },
    async [Symbol.asyncDispose]() {
      await producer?.disconnect();
      const owned = (await base.admin.listTopics()).filter((topic) => topic.startsWith(prefix));
      if (owned.length > 0) await base.admin.deleteTopics({ topics: owned });
      const { groups } = await base.admin.listGroups();
      const groupIds = groups.map((group) => group.groupId).filter((id) => id.startsWith(prefix));
      if (groupIds.length > 0) await base.admin.deleteGroups(groupIds).catch(() => undefined);
      await base[Symbol.asyncDispose]();
    },
  };
}
