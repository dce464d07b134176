import { aContentGenerated } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import { eventually, kafkaSlice, sliceRuntime } from './support/kafka-slice.js';

describe('stall watchdog (real broker)', () => {
  it('rejoins the group when a partition with records waiting gets no batch, and then consumes it', async () => {
    await using kafka = await kafkaSlice('stall');
    const { runtime, topics } = sliceRuntime(kafka, 'stall-test', {
      partitions: 1,
      consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000, stallAfterMs: 2_000 },
    });
    const groupId = kafka.groupId('stall');
    const handled = new Set<string>();
    const consumer = runtime.consume({
      groupId,
      events: ['ContentGenerated'],
      handler: async (records) => {
        for (const record of records) handled.add(record.event.contentId);
      },
    });
    // Stands in for kafkajs losing a partition: paused behind the runtime's back, never resumed.
    let stalled = false;
    consumer.kafkaConsumer.on(consumer.kafkaConsumer.events.GROUP_JOIN, () => {
      if (stalled) return;
      stalled = true;
      consumer.kafkaConsumer.pause([{ topic: topics.ContentGenerated }]);
    });
    await runtime.start();
    try {
      const events = Array.from({ length: 10 }, () => aContentGenerated());
      await runtime.publisher.publishMany('ContentGenerated', events);
      await eventually(() => handled.size === 10, 'every record handled after the rejoin', 30_000);
      expect([...handled].sort()).toEqual(events.map((e) => e.contentId).sort());
      const stalls = await runtime.metrics.stalls.get();
      expect(stalls.values.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThanOrEqual(1);
      expect(runtime.health().consumers[0]).toMatchObject({ healthy: true });
      expect(runtime.health().consumers[0]!.joins).toBeGreaterThanOrEqual(2);
    } finally {
      await runtime.stop();
    }
  });
});
