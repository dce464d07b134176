import {
  committedTotal,
  groupPositions,
  readTopicRange,
  readTopicRecords,
  topicEnds,
} from '@genstream/kafka';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaSlice } from './support/kafka-slice.js';

describe('reading a topic back (real broker)', () => {
  it('reads the first N records, a range between two ends, and names what is missing on timeout', async () => {
    await using kafka = await kafkaSlice('reader');
    const { topic } = kafka.topicsFor(['topic']);
    await kafka.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const producer = kafka.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const send = (from: number, count: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: count }, (_, i) => ({
          key: `key-${from + i}`,
          value: `value-${from + i}`,
          headers: { n: String(from + i) },
        })),
      });
    try {
      await send(0, 10);
      const before = await topicEnds(kafka.admin, topic);
      await send(10, 5);
      const after = await topicEnds(kafka.admin, topic);

      const all = await readTopicRecords(kafka.kafka, topic, 15);
      expect(all.map((r) => r.value?.toString()).sort()).toEqual(
        Array.from({ length: 15 }, (_, i) => `value-${i}`).sort(),
      );
      expect(all.every((r) => r.key?.toString() === `key-${r.headers.n?.toString()}`)).toBe(true);

      const between = await readTopicRange(kafka.kafka, topic, before, after);
      expect(between.map((r) => r.value?.toString()).sort()).toEqual(
        ['value-10', 'value-11', 'value-12', 'value-13', 'value-14'].sort(),
      );
      expect(await readTopicRange(kafka.kafka, topic, after, after)).toEqual([]);

      await expect(readTopicRecords(kafka.kafka, topic, 20, { timeoutMs: 3_000 })).rejects.toThrow(
        `read 15 of 20 records of ${topic} within 3 s`,
      );
    } finally {
      await producer.disconnect();
    }
  });

  it("counts a group's position from its commit, else from the partition's low offset", async () => {
    await using kafka = await kafkaSlice('positions');
    const { topic } = kafka.topicsFor(['topic']);
    await kafka.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 4 }, (_, i) => ({ value: `v${i}` })) });
    await producer.disconnect();
    const groupId = kafka.groupId('positions');

    expect(await groupPositions(kafka.admin, groupId, topic)).toEqual([
      { partition: 0, next: 0n, behind: 4n },
    ]);
    expect(await committedTotal(kafka.admin, groupId, topic)).toBe(0);

    await kafka.admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }] });
    expect(await groupPositions(kafka.admin, groupId, topic)).toEqual([
      { partition: 0, next: 3n, behind: 1n },
    ]);
    expect(await committedTotal(kafka.admin, groupId, topic)).toBe(3);
  });
});
