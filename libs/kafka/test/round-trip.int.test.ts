import type { EventTypes } from '@genstream/events';
import { aContentGenerated, aGenerationRequested } from '@genstream/events/testing';
import { InvalidEventError } from '@genstream/errors';
import type { ConsumedRecordOf } from '@genstream/kafka';
import { describe, expect, it } from 'vitest';
import { eventually, kafkaSlice, sliceRuntime } from './support/kafka-slice.js';

type Received = ConsumedRecordOf<EventTypes, 'GenerationRequested' | 'ContentGenerated'>;

describe('typed round trip through EventPublisher and EventConsumer (real broker, real codec)', () => {
  it('delivers every event decoded and typed, keyed by request id, coalesces publishes, commits', async () => {
    await using kafka = await kafkaSlice('roundtrip');
    const { runtime, topics } = sliceRuntime(kafka, 'roundtrip-test', { partitions: 3 });
    const groupId = kafka.groupId('roundtrip');
    const received: Received[] = [];
    const batchSizes: number[] = [];
    runtime.consume({
      groupId,
      events: ['GenerationRequested', 'ContentGenerated'],
      handler: async (records) => {
        batchSizes.push(records.length);
        received.push(...records);
      },
    });
    await runtime.start();
    try {
      expect(await kafka.admin.listTopics()).toEqual(
        expect.arrayContaining([topics.GenerationRequested, `${topics.GenerationRequested}.dlq`]),
      );
      const requests = Array.from({ length: 200 }, () => aGenerationRequested());
      const generated = Array.from({ length: 50 }, () => aContentGenerated());

      // 200 callers publishing one event each, as HTTP handlers do, at the same moment.
      await Promise.all(requests.map((event) => runtime.publisher.publish('GenerationRequested', event)));
      await runtime.publisher.publishMany('ContentGenerated', generated);
      const requestsSent = await runtime.metrics.sendRequests.get();
      expect(requestsSent.values[0]!.value).toBeLessThan(20);

      await expect(
        runtime.publisher.publish('GenerationRequested', { ...aGenerationRequested(), prompt: 7 } as never),
      ).rejects.toBeInstanceOf(InvalidEventError);

      await eventually(() => received.length >= 250, '250 records', 30_000);
      const requested = received.filter((r) => r.name === 'GenerationRequested');
      expect(requested.map((r) => r.event).sort(byRequestId)).toEqual([...requests].sort(byRequestId));
      const contents = received.flatMap((r) => (r.name === 'ContentGenerated' ? [r.event] : []));
      expect(contents.map((e) => e.contentId).sort()).toEqual(generated.map((e) => e.contentId).sort());
      for (const record of received) {
        expect(record.key).toBe(record.event.requestId);
        expect(record.topic).toBe(topics[record.name]);
        expect(record.timestamp).toBeGreaterThan(Date.now() - 120_000);
        expect(Number(record.offset)).toBeGreaterThanOrEqual(0);
      }
      // One handler call per batch, not per record.
      expect(batchSizes.length).toBeLessThan(received.length / 5);

      await eventually(
        async () =>
          (await kafka.committedTotal(groupId, topics.GenerationRequested)) === 200 &&
          (await kafka.committedTotal(groupId, topics.ContentGenerated)) === 50,
        'commits',
        10_000,
      );
      expect(runtime.health()).toMatchObject({ healthy: true, producer: { connected: true } });
    } finally {
      await runtime.stop();
    }
    expect(received).toHaveLength(250);
    expect(runtime.health().healthy).toBe(false);
  });
});

const byRequestId = (a: { requestId: string }, b: { requestId: string }) =>
  a.requestId.localeCompare(b.requestId);
