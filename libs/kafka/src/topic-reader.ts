import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PartitionEnd } from '@genstream/launcher';
import type { IHeaders, Kafka } from 'kafkajs';

/** A record read back from a topic, as it was written. */
export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

/**
 * Every record of `topic` from the offsets in `from` (exclusive of what came before) up to the offsets
 * in `to`, read with a throwaway group that seeks straight to `from`.
 */
export async function readTopicRange(
  kafka: Kafka,
  topic: string,
  from: readonly PartitionEnd[],
  to: readonly PartitionEnd[],
  timeoutMs = 60_000,
): Promise<TopicRecord[]> {
  const start = new Map(from.map((end) => [end.partition, BigInt(end.high)]));
  const stop = new Map(to.map((end) => [end.partition, BigInt(end.high)]));
  const pending = new Set(
    to.filter((end) => BigInt(end.high) > (start.get(end.partition) ?? 0n)).map((end) => end.partition),
  );
  const records: TopicRecord[] = [];
  if (pending.size === 0) return records;

  const consumer = kafka.consumer({ groupId: `genstream-faults-read-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const offset = BigInt(message.offset);
        const end = stop.get(partition) ?? 0n;
        if (offset >= (start.get(partition) ?? 0n) && offset < end) {
          records.push({
            partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: message.headers ?? {},
          });
        }
        if (offset + 1n >= end) pending.delete(partition);
      },
    });
    for (const [partition, offset] of start) {
      if (pending.has(partition)) consumer.seek({ topic, partition, offset: String(offset) });
    }
    const deadline = Date.now() + timeoutMs;
    while (pending.size > 0) {
      if (Date.now() > deadline) {
        throw new Error(`could not read ${topic} up to its end within ${timeoutMs / 1000} s`);
      }
      await sleep(50);
    }
  } finally {
    await consumer.disconnect();
  }
  return records;
}
