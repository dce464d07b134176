// The two ways of consuming the same records: @genstream/kafka's eachBatch runtime (one handler
// call and one store write per batch) and kafkajs eachMessage (one call and one write per record).
import { deadLetterTopic, type EventInputTypes, type EventTypes } from '@genstream/events';
import { aGenerationRequested } from '@genstream/events/testing';
import { KafkaRuntime, silentLogger } from '@genstream/kafka';
import { BYTES_PER_ROW, fmt, type ConsumeSetup } from './consume-setup.js';

export interface Run {
  readonly recordsPerSecond: number;
  readonly seconds: number;
  readonly handlerCalls: number;
}

function runtime(setup: ConsumeSetup, service: string, options: object) {
  const { brokers, codec, topics } = setup;
  return new KafkaRuntime<EventTypes, EventInputTypes>({
    service,
    brokers,
    codec,
    topics,
    deadLetterTopic,
    logger: silentLogger,
    topicCreation: false,
    ...options,
  });
}

export async function produce(setup: ConsumeSetup): Promise<void> {
  const { records, partitions } = setup.settings;
  const producer = runtime(setup, 'bench-producer', {
    topicCreation: { partitions, replicationFactor: 1 },
    producer: { maxBatchRecords: 1_000 },
  });
  await producer.start();
  const sample = await setup.codec.encode('GenerationRequested', aGenerationRequested());
  setup.say(`producing ${fmt(records)} records of ${sample.length} bytes to ${partitions} partitions`);
  const begun = Date.now();
  const chunk = 5_000;
  for (let sent = 0; sent < records; sent += chunk) {
    const events = Array.from({ length: Math.min(chunk, records - sent) }, () => aGenerationRequested());
    await producer.publisher.publishMany('GenerationRequested', events);
    setup.say(`  produced ${fmt(sent + events.length)}/${fmt(records)}`);
  }
  const seconds = (Date.now() - begun) / 1000;
  setup.say(`produced in ${seconds.toFixed(1)} s (${fmt(records / seconds)} records/s with publishMany)`);
  await producer.stop();
}

export async function consumeWithEachBatch(setup: ConsumeSetup, run: number): Promise<Run> {
  const { records } = setup.settings;
  const consumer = runtime(setup, 'bench-batch', { consumer: { maxWaitMs: 100 } });
  let count = 0;
  let calls = 0;
  let first = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  consumer.consume({
    groupId: `bench_batch_${setup.suffix}_${run}`,
    events: ['GenerationRequested'],
    handler: async (batch) => {
      first ||= performance.now();
      calls += 1;
      // One multi-row write per batch.
      await setup.store.write(batch.length, BYTES_PER_ROW);
      count += batch.length;
      if (count >= records) finish();
    },
  });
  await consumer.start();
  await finished;
  const seconds = (performance.now() - first) / 1000;
  await consumer.stop();
  return { recordsPerSecond: records / seconds, seconds, handlerCalls: calls };
}

export async function consumeWithEachMessage(setup: ConsumeSetup, run: number): Promise<Run> {
  const { records } = setup.settings;
  const consumer = setup.kafka.consumer({
    groupId: `bench_message_${setup.suffix}_${run}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: setup.topics.GenerationRequested, fromBeginning: true });
  let count = 0;
  let first = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  await consumer.run({
    eachMessage: async ({ message }) => {
      first ||= performance.now();
      // The same decode as the runtime does, then one single-row write per record.
      await setup.codec.decode('GenerationRequested', message.value!);
      await setup.store.write(1, BYTES_PER_ROW);
      count += 1;
      if (count >= records) finish();
    },
  });
  await finished;
  const seconds = (performance.now() - first) / 1000;
  await consumer.disconnect();
  return { recordsPerSecond: records / seconds, seconds, handlerCalls: count };
}
