import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { PartitionEnd } from './group-offsets.js';

// Reading a topic back: what tests check, what the fault suite reconciles, what a redrive of
// dead letters replays. Each read uses a throwaway consumer group that commits nothing, so it
// never moves anyone's offsets.

/** A record read back from a topic, as it was written. */
export interface TopicRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
}

export interface ReadOptions {
  /** Give up after this long, with an error naming how many records arrived (default 60 s). */
  readonly timeoutMs?: number;
  /** The throwaway group's id (default `genstream-read-<uuid>`). */
  readonly groupId?: string;
  /**
   * Keeps only the records it accepts; the others are read and dropped (a scan of a long range
   * that holds little in memory). Completion still counts every record read.
   */
  readonly select?: (record: TopicRecord) => boolean;
}

/** With nothing expected, a read lasts this long: long enough for a record that is there to show. */
const EMPTY_READ_MS = 1_000;

/**
 * The first `count` records of `topic` (every partition, from the beginning). With `count` 0 it
 * resolves to whatever arrives within a second: a check that a topic holds nothing.
 */
export async function readTopicRecords(
  kafka: Kafka,
  topic: string,
  count: number,
  options: ReadOptions = {},
): Promise<TopicRecord[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  if (count <= 0) {
    return read(kafka, topic, options.groupId, {
      keep: () => true,
      complete: () => false,
      waitMs: EMPTY_READ_MS,
      onTimeout: () => undefined,
    });
  }
  return read(kafka, topic, options.groupId, {
    keep: () => true,
    complete: (records) => records.length >= count,
    waitMs: timeoutMs,
    onTimeout: (records) =>
      new Error(`read ${records.length} of ${count} records of ${topic} within ${timeoutMs / 1000} s`),
  });
}

/**
 * Every record of `topic` from the offsets in `from` up to (not including) those in `to`, per
 * partition (`high` of each), seeking straight to `from`.
 */
export async function readTopicRange(
  kafka: Kafka,
  topic: string,
  from: readonly PartitionEnd[],
  to: readonly PartitionEnd[],
  options: ReadOptions = {},
): Promise<TopicRecord[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const start = new Map(from.map((end) => [end.partition, BigInt(end.high)]));
  const stop = new Map(to.map((end) => [end.partition, BigInt(end.high)]));
  const startOf = (partition: number) => start.get(partition) ?? 0n;
  const pending = new Set(
    to.filter((end) => BigInt(end.high) > startOf(end.partition)).map((end) => end.partition),
  );
  if (pending.size === 0) return [];
  const expected = [...pending].reduce(
    (sum, partition) => sum + (stop.get(partition)! - startOf(partition)),
    0n,
  );

  return read(kafka, topic, options.groupId, {
    select: options.select,
    seekTo: new Map([...start].filter(([partition]) => pending.has(partition))),
    keep: (partition, offset) => offset >= startOf(partition) && offset < (stop.get(partition) ?? 0n),
    complete: (_records, partition, offset) => {
      if (offset + 1n >= (stop.get(partition) ?? 0n)) pending.delete(partition);
      return pending.size === 0;
    },
    waitMs: timeoutMs,
    onTimeout: (records) =>
      new Error(
        `read ${records.length} of ${expected} records of ${topic} within ${timeoutMs / 1000} s: ` +
          `partitions ${[...pending].join(', ')} not read up to their end`,
      ),
  });
}

interface Reading {
  readonly select?: (record: TopicRecord) => boolean;
  /** Per partition, where to start instead of the beginning. */
  readonly seekTo?: ReadonlyMap<number, bigint>;
  readonly keep: (partition: number, offset: bigint) => boolean;
  /** Asked after every record: true once the read is complete. */
  readonly complete: (records: readonly TopicRecord[], partition: number, offset: bigint) => boolean;
  readonly waitMs: number;
  /** The error when `waitMs` passes first; undefined to resolve with what arrived. */
  readonly onTimeout: (records: readonly TopicRecord[]) => Error | undefined;
}

async function read(
  kafka: Kafka,
  topic: string,
  groupId: string | undefined,
  reading: Reading,
): Promise<TopicRecord[]> {
  const consumer = kafka.consumer({
    groupId: groupId ?? `genstream-read-${randomUUID()}`,
    maxWaitTimeInMs: 200,
  });
  const records: TopicRecord[] = [];
  let timer: NodeJS.Timeout | undefined;
  await consumer.connect();
  try {
    const finished = new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => {
        const error = reading.onTimeout(records);
        if (error) reject(error);
        else resolve();
      }, reading.waitMs);
      const onRecord = async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
        const offset = BigInt(message.offset);
        if (reading.keep(partition, offset)) {
          const record = asTopicRecord(partition, message);
          if (reading.select?.(record) ?? true) records.push(record);
        }
        if (reading.complete(records, partition, offset)) resolve();
      };
      consumer
        .subscribe({ topic, fromBeginning: true })
        .then(() => consumer.run({ autoCommit: false, eachMessage: onRecord }))
        // kafkajs seeks only once the consumer runs.
        .then(() => {
          for (const [partition, offset] of reading.seekTo ?? []) {
            consumer.seek({ topic, partition, offset: String(offset) });
          }
        })
        .catch(reject);
    });
    await finished;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return [...records];
}

function asTopicRecord(partition: number, message: KafkaMessage): TopicRecord {
  return {
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers ?? {},
  };
}
