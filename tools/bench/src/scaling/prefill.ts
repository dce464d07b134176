// The records every writer drains: M realistic ContentGenerated events on the content topic of this
// run's prefix, published once through genstream's own publisher (Avro, key = requestId).
import { TOPICS, createEventCodec, type EventInputTypes, type EventTypes } from '@genstream/events';
import { KafkaRuntime, silentLogger } from '@genstream/kafka';
import type { Admin } from 'kafkajs';
import type { Say } from '../runner/progress.js';
import { chunks } from '../settings.js';
import { SyntheticCorpus } from '../synthetic-corpus.js';
import { realisticEvent } from '../writers/realistic-event.js';

/**
 * Partitions of the bench's topics: KAFKA_PARTITIONS as the services read it, else their default
 * (DEFAULT_KAFKA_PARTITIONS of @genstream/service, 6). The count used is read back from the broker.
 */
export function partitionsFromEnv(env: NodeJS.ProcessEnv): number {
  const value = Number(env.KAFKA_PARTITIONS ?? 6);
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`KAFKA_PARTITIONS: ${env.KAFKA_PARTITIONS}`);
  return value;
}

export interface Prefilled {
  readonly topic: string;
  readonly partitions: number;
  readonly records: number;
  readonly seconds: number;
}

/** Creates the contract's topics under `prefix` and publishes `count` events on the content topic. */
export async function prefillContentTopic(options: {
  readonly admin: Admin;
  readonly brokers: string;
  readonly prefix: string;
  readonly count: number;
  readonly partitions: number;
  readonly seed: number;
  readonly say: Say;
}): Promise<Prefilled> {
  const { prefix, count, say } = options;
  const topics = Object.fromEntries(
    Object.entries(TOPICS).map(([name, topic]) => [name, `${prefix}${topic}`]),
  ) as Record<keyof typeof TOPICS, string>;
  const runtime = new KafkaRuntime<EventTypes, EventInputTypes>({
    service: `bench-scaling-${prefix}`,
    brokers: options.brokers.split(','),
    codec: createEventCodec(),
    topics,
    topicCreation: { partitions: options.partitions, replicationFactor: -1 },
    logger: silentLogger,
    kafkaLogLevel: 'error',
  });
  const corpus = new SyntheticCorpus(options.seed);
  const events = Array.from({ length: count }, () => realisticEvent(corpus));
  const started = performance.now();
  await runtime.start();
  try {
    let sent = 0;
    for (const chunk of chunks(events, 2_000)) {
      await runtime.publisher.publishMany('ContentGenerated', chunk);
      sent += chunk.length;
      if (sent % 10_000 === 0 || sent === count) say(`pre-fill: ${sent.toLocaleString('en-US')} of ${count}`);
    }
  } finally {
    await runtime.stop();
  }
  const topic = topics.ContentGenerated;
  const [metadata] = (await options.admin.fetchTopicMetadata({ topics: [topic] })).topics;
  const offsets = await options.admin.fetchTopicOffsets(topic);
  const records = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  if (records !== count) throw new Error(`pre-fill: ${records} records on ${topic}, not ${count}`);
  return {
    topic,
    partitions: metadata?.partitions.length ?? options.partitions,
    records,
    seconds: (performance.now() - started) / 1000,
  };
}
