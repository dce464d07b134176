import { StoreUnavailableError } from '@genstream/errors';
import type { Kafka, Producer } from 'kafkajs';
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

/** A stand-in for kafkajs: each producer() is a new fake whose sends take the next planned outcome. */
function fakeKafka(outcomes: (Error | undefined)[]) {
  const producers: { sends: number; connects: number; disconnects: number }[] = [];
  const kafka = {
    producer: () => {
      const state = { sends: 0, connects: 0, disconnects: 0 };
      producers.push(state);
      return {
        events: { CONNECT: 'connect', DISCONNECT: 'disconnect' },
        on: () => undefined,
        connect: async () => void state.connects++,
        disconnect: async () => void state.disconnects++,
        sendBatch: async () => {
          state.sends++;
          const outcome = outcomes.shift();
          if (outcome) throw outcome;
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, producers };
}

const settings = { lingerMs: 0, maxBatchRecords: 100, acknowledgeTimeoutMs: 5_000 };
const record = { topic: 't', message: { key: 'k', value: Buffer.from('v') } };

describe('RecordProducer', () => {
  it('after the broker lost its sequence, fails the send as retriable and sends the retry with a new producer', async () => {
    const { kafka, producers } = fakeKafka([protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER')]);
    const metrics = new KafkaMetrics(new Registry());
    const producer = new RecordProducer(kafka, settings, metrics);
    await producer.start();

    const failed = await producer.send([record]).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StoreUnavailableError);
    expect((failed as StoreUnavailableError).retriable).toBe(true);
    expect(producers).toHaveLength(1);

    await producer.send([record]);
    expect(producers).toHaveLength(2);
    expect(producers[0]).toMatchObject({ sends: 1, disconnects: 1 });
    expect(producers[1]).toMatchObject({ sends: 1, connects: 1 });
    expect(
      (await metrics.registry.getSingleMetric('genstream_kafka_producer_resets_total')?.get())?.values[0]
        ?.value,
    ).toBe(1);
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
