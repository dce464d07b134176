import { serverEnv, testKafka, uniqueName } from '@genstream/testing';
import { describe, expect, it } from 'vitest';
import { ensurePartitions, ensureTopicPartitions } from '../src/index.js';

const creation = { partitions: 4, replicationFactor: -1 };

describe('topic partitions (real broker)', () => {
  it('plans, creates the missing topics only, then raises the ones with fewer, and keeps the rest', async () => {
    await using kafka = await testKafka('partitions');
    const small = await kafka.createTopic('small', 2);
    const large = await kafka.createTopic('large', 5);
    const missing = uniqueName('missing');
    const partitionsOf = async (topic: string) =>
      (await kafka.admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.length;
    try {
      const planned = await ensurePartitions(kafka.admin, [small, large, missing], creation, 'plan');
      expect(planned).toEqual([
        { topic: small, before: 2, after: 4, action: 'raised' },
        { topic: large, before: 5, after: 5, action: 'kept' },
        { topic: missing, before: undefined, after: 4, action: 'created' },
      ]);
      expect(await kafka.admin.listTopics()).not.toContain(missing);
      expect(await partitionsOf(small)).toBe(2);

      // What a start-up does: create what is missing, change nothing else.
      const created = await ensurePartitions(kafka.admin, [small, large, missing], creation, 'create');
      expect(created.map((item) => item.action)).toEqual(['kept', 'kept', 'created']);
      expect([await partitionsOf(small), await partitionsOf(missing)]).toEqual([2, 4]);

      // The explicit command, through its own admin client.
      const brokers = serverEnv().KAFKA_BROKERS.split(',');
      const raised = await ensureTopicPartitions(brokers, [small, large, missing], creation, 'raise');
      expect(raised.map((item) => item.action)).toEqual(['raised', 'kept', 'kept']);
      expect([await partitionsOf(small), await partitionsOf(large), await partitionsOf(missing)]).toEqual([
        4, 5, 4,
      ]);
      const again = await ensureTopicPartitions(brokers, [small, large, missing], creation, 'raise');
      expect(again.every((item) => item.action === 'kept')).toBe(true);
    } finally {
      await kafka.admin.deleteTopics({ topics: [missing] }).catch(() => undefined);
    }
  });
});
