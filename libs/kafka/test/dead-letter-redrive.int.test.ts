import { InvalidEventError, UnknownSchemaError } from '@genstream/errors';
import {
  DeadLetterTool,
  REDRIVE_HEADERS,
  buildDeadLetter,
  readTopicRange,
  topicEnds,
  type PartitionEnd,
  type RedriveProgress,
  type TopicRecord,
} from '@genstream/kafka';
import { Partitioners, type Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaSlice, type KafkaSlice } from './support/kafka-slice.js';

const HOUR = 3_600_000;

/** Original records on `topic`, then dead letters of them as consumers would write them. */
async function poisoned(kafka: KafkaSlice, topic: string, dlq: string) {
  await kafka.admin.createTopics({
    topics: [topic, dlq].map((name) => ({ topic: name, numPartitions: 2 })),
    waitForLeaders: true,
  });
  const producer = kafka.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const originals = ['a', 'b', 'c'].map((key) => ({
    key: Buffer.from(`key-${key}`),
    value: Buffer.from([0xc3, 0x01, ...Buffer.from(`value-${key}`)]),
    headers: { traceparent: Buffer.from(`trace-${key}`) },
  }));
  const [sent] = await producer.send({ topic, messages: originals });
  const located = await readTopicRange(
    kafka.kafka,
    topic,
    zero(await topicEnds(kafka.admin, topic)),
    await topicEnds(kafka.admin, topic),
  );
  expect(sent).toBeDefined();
  const byKey = (key: string) => located.find((record) => record.key?.toString() === `key-${key}`)!;
  const now = Date.now();
  const letter = (key: string, service: string, error: unknown, failedAt: number): Message => {
    const record = byKey(key);
    return buildDeadLetter(
      { topic, timestamp: String(now), ...record },
      { error, service, failedAt: new Date(failedAt) },
    );
  };
  await producer.send({
    topic: dlq,
    messages: [
      letter('a', 'metadata-writer', new UnknownSchemaError('unknown writer schema'), now - 60_000),
      letter('a', 'document-writer', new UnknownSchemaError('unknown writer schema'), now - 59_000),
      letter('b', 'metadata-writer', new InvalidEventError('prompt is empty'), now - 30_000),
      letter('c', 'metadata-writer', new TypeError('a bug'), now - 3 * HOUR),
      { key: 'junk', value: 'not a dead letter' },
    ],
  });
  await producer.disconnect();
  return { now, byKey };
}

const zero = (ends: readonly PartitionEnd[]) => ends.map((end) => ({ ...end, high: end.low }));

async function recordsSince(
  kafka: KafkaSlice,
  topic: string,
  from: readonly PartitionEnd[],
): Promise<TopicRecord[]> {
  return readTopicRange(kafka.kafka, topic, from, await topicEnds(kafka.admin, topic));
}

describe('dead-letter redrive (real broker)', () => {
  it('finds dead letters by topic, code, service, time and id', async () => {
    await using kafka = await kafkaSlice('dlq-find');
    const { topic } = kafka.topicsFor(['topic']);
    const dlq = `${topic}.dlq`;
    const { now } = await poisoned(kafka, topic, dlq);
    await using tool = await DeadLetterTool.connect(kafka.brokers);
    const codesOf = async (filter: Parameters<DeadLetterTool['find']>[1]) =>
      (await tool.find([dlq, `${topic}.missing.dlq`], filter)).letters.map(
        ({ letter }) => `${letter.reasonCode}/${letter.service}`,
      );

    const all = await tool.find([dlq]);
    expect(all.read).toBe(5);
    expect(all.unreadable.map(({ id, problem }) => [id.topic, problem])).toEqual([
      [dlq, 'not a dead letter: header genstream.dlq.reason-code is missing'],
    ]);
    // Oldest failure first.
    expect(all.letters.map(({ letter }) => letter.reasonCode)).toEqual([
      'INTERNAL',
      'EVENT_UNKNOWN_SCHEMA',
      'EVENT_UNKNOWN_SCHEMA',
      'EVENT_INVALID',
    ]);
    expect(await codesOf({ codes: ['EVENT_UNKNOWN_SCHEMA'] })).toEqual([
      'EVENT_UNKNOWN_SCHEMA/metadata-writer',
      'EVENT_UNKNOWN_SCHEMA/document-writer',
    ]);
    expect(await codesOf({ services: ['document-writer'] })).toEqual([
      'EVENT_UNKNOWN_SCHEMA/document-writer',
    ]);
    expect(await codesOf({ since: new Date(now - HOUR) })).toHaveLength(3);
    expect(await codesOf({ until: new Date(now - HOUR) })).toEqual(['INTERNAL/metadata-writer']);
    expect(await codesOf({ topics: [topic], codes: ['EVENT_INVALID'] })).toEqual([
      'EVENT_INVALID/metadata-writer',
    ]);
    expect(await codesOf({ topics: ['some.other.topic'] })).toEqual([]);
    const chosen = all.letters[3]!;
    const byId = await tool.find([dlq], { ids: [chosen.id] });
    expect(byId.letters).toEqual([chosen]);
    expect(byId.letters[0]!.letter.headers.traceparent?.toString()).toBe('trace-b');
  });

  it('redrives each original record once: dry run, redrive, again, and a copy that failed again', async () => {
    await using kafka = await kafkaSlice('dlq-redrive');
    const { topic } = kafka.topicsFor(['topic']);
    const dlq = `${topic}.dlq`;
    const { byKey } = await poisoned(kafka, topic, dlq);
    await using tool = await DeadLetterTool.connect(kafka.brokers);
    const start = await topicEnds(kafka.admin, topic);
    const unknown = (await tool.find([dlq], { codes: ['EVENT_UNKNOWN_SCHEMA'] })).letters;

    // Dry run: one original record (two services' letters of it), nothing published.
    const dry = await tool.redrive(unknown, { dryRun: true });
    expect(dry.items.map((item) => [item.original, item.action, item.letters.length])).toEqual([
      [`${topic}:${byKey('a').partition}:${byKey('a').offset}`, 'would publish', 2],
    ]);
    expect(dry.published).toBe(0);
    expect(await topicEnds(kafka.admin, topic)).toEqual(start);

    // The redrive: the original key, value and headers, marked.
    const progress: RedriveProgress[] = [];
    const first = await tool.redrive(unknown, { onProgress: (p) => progress.push(p) });
    expect(first).toMatchObject({ published: 1, skipped: 0 });
    expect(progress.at(-1)).toEqual({ done: 1, total: 1, published: 1, skipped: 0 });
    const [copy, ...more] = await recordsSince(kafka, topic, start);
    expect(more).toEqual([]);
    expect(copy!.key?.toString()).toBe('key-a');
    expect(copy!.value).toEqual(byKey('a').value);
    expect(copy!.headers.traceparent?.toString()).toBe('trace-a');
    expect(copy!.headers[REDRIVE_HEADERS.original]?.toString()).toBe(first.items[0]!.original);
    expect(copy!.headers[REDRIVE_HEADERS.from]?.toString().split(',')).toEqual(
      unknown.map(({ id }) => `${id.topic}:${id.partition}:${id.offset}`),
    );
    expect(Object.keys(copy!.headers).some((name) => name.startsWith('genstream.dlq.'))).toBe(false);

    // Again, and one service's letter alone: already redriven, nothing published.
    const again = await tool.redrive(unknown);
    const copyAt = `${topic}:${copy!.partition}:${copy!.offset}`;
    expect(again.items.map((item) => [item.action, item.redrivenAs])).toEqual([['already redriven', copyAt]]);
    expect((await tool.redrive(unknown.slice(1))).published).toBe(0);
    expect(await recordsSince(kafka, topic, start)).toHaveLength(1);

    // Everything: the two others once (one failed 3 h ago), a only once in all.
    const all = (await tool.find([dlq])).letters;
    const rest = await tool.redrive(all, { batchSize: 1, onProgress: (p) => progress.push(p) });
    expect(rest.items.map((item) => item.action).sort()).toEqual([
      'already redriven',
      'published',
      'published',
    ]);
    expect((await tool.redrive(all)).published).toBe(0);
    const copies = await recordsSince(kafka, topic, start);
    expect(copies.map((record) => record.key?.toString()).sort()).toEqual(['key-a', 'key-b', 'key-c']);

    // The copy of a fails again: its dead letter is a new failure, redriven once more.
    const producer = kafka.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({
      topic: dlq,
      messages: [
        buildDeadLetter(
          { topic, ...copy! },
          {
            error: new UnknownSchemaError('still unknown'),
            service: 'metadata-writer',
            failedAt: new Date(),
          },
        ),
      ],
    });
    await producer.disconnect();
    const refailed = (await tool.find([dlq], { codes: ['EVENT_UNKNOWN_SCHEMA'] })).letters;
    expect(refailed).toHaveLength(3);
    const second = await tool.redrive(refailed);
    expect(second.items.map((item) => [item.original, item.action])).toEqual([
      [first.items[0]!.original, 'already redriven'],
      [copyAt, 'published'],
    ]);
    const last = (await recordsSince(kafka, topic, start)).find(
      (record) => record.headers[REDRIVE_HEADERS.original]?.toString() === copyAt,
    );
    expect(last?.headers.traceparent?.toString()).toBe('trace-a');
    expect((await tool.redrive(refailed)).published).toBe(0);
    expect(await recordsSince(kafka, topic, start)).toHaveLength(4);
  });
});
