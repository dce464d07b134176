import type { StoreUnavailableError } from '@genstream/errors';
import type { Kafka, Message, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { KafkaMetrics } from './metrics.js';
import { RecordProducer } from './record-producer.js';

/** What kafkajs throws when the broker refuses a sequence number (KafkaJSProtocolError). */
function protocolError(type: string): Error {
  return Object.assign(new Error(`The broker said ${type}`), {
    name: 'KafkaJSProtocolError',
    type,
    retriable: false,
  });
}

type Batch = { topicMessages: { topic: string; messages: Message[] }[] };
/** A planned outcome of one sendBatch: an error, or the partitions the answer leaves out. */
type Outcome = Error | { omit: number[] } | undefined;

/**
 * A stand-in for kafkajs: each producer() is a new fake whose sends take the next planned
 * outcome. Its partitioner, like the real one's pinning, puts a record on the partition its key
 * names (`p0`, `p1`, ...); the answer lists each partition sent, minus those an outcome omits.
 */
function fakeKafka(outcomes: Outcome[]) {
  const producers: { sends: number; connects: number; disconnects: number }[] = [];
  /** Records in each sendBatch call, in order. */
  const sent: number[] = [];
  const kafka = {
    producer: () => {
      const state = { sends: 0, connects: 0, disconnects: 0 };
      producers.push(state);
      return {
        events: { CONNECT: 'connect', DISCONNECT: 'disconnect' },
        on: () => undefined,
        connect: async () => void state.connects++,
        disconnect: async () => void state.disconnects++,
        sendBatch: async ({ topicMessages }: Batch) => {
          state.sends++;
          sent.push(topicMessages.reduce((n, topic) => n + topic.messages.length, 0));
          const outcome = outcomes.shift();
          if (outcome instanceof Error) throw outcome;
          const answers = topicMessages.flatMap(({ topic, messages }) =>
            messages.map((message) => {
              message.partition = Number(String(message.key).slice(1)) || 0;
              return { topicName: topic, partition: message.partition, errorCode: 0 };
            }),
          );
          return answers.filter((answer) => !outcome?.omit.includes(answer.partition));
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, producers, sent };
}

const settings = { lingerMs: 0, maxBatchRecords: 100, acknowledgeTimeoutMs: 5_000 };
const record = { topic: 't', message: { key: 'p0', value: Buffer.from('v') } };

describe('RecordProducer', () => {
  it('after the broker lost its sequence, sends again on a new producer, and the send succeeds', async () => {
    const { kafka, producers } = fakeKafka([protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER')]);
    const metrics = new KafkaMetrics(new Registry());
    const producer = new RecordProducer(kafka, settings, metrics);
    await producer.start();

    await producer.send([record]);
    expect(producers).toHaveLength(2);
    expect(producers[0]).toMatchObject({ sends: 1, disconnects: 1 });
    expect(producers[1]).toMatchObject({ sends: 1, connects: 1 });
    expect(
      (await metrics.registry.getSingleMetric('genstream_kafka_producer_resets_total')?.get())?.values[0]
        ?.value,
    ).toBe(1);
  });

  it('sends every record again after a broker went away mid-send, never only the rest', async () => {
    const brokerGone = Object.assign(new Error('Connection error'), {
      name: 'KafkaJSConnectionError',
      retriable: true,
    });
    const { kafka, sent } = fakeKafka([brokerGone, brokerGone]);
    const producer = new RecordProducer(kafka, settings, new KafkaMetrics(new Registry()));
    await producer.start();
    await producer.send([record, { ...record, topic: 'u' }, record]);
    expect(sent).toEqual([3, 3, 3]);
  });

  it("sends again the records of a partition a send's answer leaves out (kafkajs skipped them)", async () => {
    const { kafka, sent } = fakeKafka([{ omit: [1] }]);
    const metrics = new KafkaMetrics(new Registry());
    const producer = new RecordProducer(kafka, settings, metrics);
    await producer.start();
    const onPartition = (partition: number) => ({
      topic: 't',
      message: { key: `p${partition}`, value: null },
    });
    await producer.send([onPartition(0), onPartition(1), onPartition(2), onPartition(1)]);
    expect(sent).toEqual([4, 2]);
    const resent = await metrics.registry
      .getSingleMetric('genstream_kafka_producer_unacknowledged_resends_total')
      ?.get();
    expect(resent?.values[0]?.value).toBe(2);
  });

  it('gives up with a retriable error once acknowledgeTimeoutMs has passed', async () => {
    const brokerGone = Object.assign(new Error('Connection error'), {
      name: 'KafkaJSConnectionError',
      retriable: true,
    });
    const { kafka, sent } = fakeKafka(Array.from({ length: 1_000 }, () => brokerGone));
    const quick = { ...settings, acknowledgeTimeoutMs: 300 };
    const producer = new RecordProducer(kafka, quick, new KafkaMetrics(new Registry()));
    await producer.start();
    const failed = await producer.send([record]).catch((error: unknown) => error);
    expect((failed as StoreUnavailableError).retriable).toBe(true);
    expect(sent.length).toBeGreaterThan(1);
  });

  it('keeps a permanent error permanent, and its producer', async () => {
    const tooLarge = protocolError('MESSAGE_TOO_LARGE');
    const { kafka, producers } = fakeKafka([tooLarge]);
    const producer = new RecordProducer(kafka, settings, new KafkaMetrics(new Registry()));
    await producer.start();
    await expect(producer.send([record])).rejects.toBe(tooLarge);
    await producer.send([record]);
    expect(producers).toHaveLength(1);
  });
});
