import { randomUUID } from 'node:crypto';
import { aContentGenerated } from '@genstream/events/testing';
import { StoreUnavailableError } from '@genstream/errors';
import { BatchOutcome } from '@genstream/kafka';
import { describe, expect, it } from 'vitest';
import { eventually, kafkaSlice, sliceRuntime, type KafkaSlice } from './support/kafka-slice.js';

const SESSION_TIMEOUT_MS = 6_000; // the broker's minimum (group.min.session.timeout.ms)

function runtimeFor(kafka: KafkaSlice, label: string) {
  const { runtime, topics } = sliceRuntime(kafka, `${label}-test`, {
    partitions: 2,
    consumer: {
      sessionTimeoutMs: SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: 1_000,
      retryBackoff: { baseMs: 100, maxMs: 1_500 },
    },
  });
  return { runtime, topic: topics.ContentGenerated };
}

/** A store that refuses writes until `upAt`, counting every write attempt. */
function flakyStore(downForMs: number) {
  const upAt = Date.now() + downForMs;
  const written = new Map<string, number>();
  let attempts = 0;
  let attemptsWhileDown = 0;
  return {
    written,
    attempts: () => attempts,
    attemptsWhileDown: () => attemptsWhileDown,
    async writeBatch(contentIds: readonly string[]) {
      attempts += 1;
      if (Date.now() < upAt) {
        attemptsWhileDown += 1;
        throw new StoreUnavailableError('connection refused');
      }
      for (const id of contentIds) written.set(id, (written.get(id) ?? 0) + 1);
    },
  };
}

describe('retriable failures (real broker)', () => {
  it('pauses and retries with backoff through an outage longer than sessionTimeout: nothing lost, nothing dead-lettered, no rebalance', async () => {
    await using kafka = await kafkaSlice('outage');
    const { runtime, topic } = runtimeFor(kafka, 'outage');
    const groupId = kafka.groupId('outage');
    const outageMs = SESSION_TIMEOUT_MS + 4_000;
    let store: ReturnType<typeof flakyStore> | undefined;
    let joins = 0;
    /** Joins when the outage began: the group may settle with a second join at start-up, never in the outage. */
    let joinsBeforeOutage = 0;
    const consumer = runtime.consume({
      groupId,
      events: ['ContentGenerated'],
      handler: async (records) => {
        if (!store) {
          store = flakyStore(outageMs); // the outage starts with the first batch
          joinsBeforeOutage = joins;
        }
        await store.writeBatch(records.map((r) => r.event.contentId));
      },
    });
    consumer.kafkaConsumer.on(consumer.kafkaConsumer.events.GROUP_JOIN, () => (joins += 1));
    await runtime.start();
    try {
      const events = Array.from({ length: 100 }, () => aContentGenerated());
      await runtime.publisher.publishMany('ContentGenerated', events);

      const started = Date.now();
      await eventually(() => (store?.written.size ?? 0) === 100, 'every record written', 45_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(outageMs - 500);
      expect([...store!.written.keys()].sort()).toEqual(events.map((e) => e.contentId).sort());
      await eventually(async () => (await kafka.committedTotal(groupId, topic)) === 100, 'commits', 10_000);

      // Backoff, not a busy loop: a few attempts per partition over ten seconds.
      expect(store!.attemptsWhileDown()).toBeGreaterThan(2);
      expect(store!.attemptsWhileDown()).toBeLessThan(60);
      expect(joinsBeforeOutage).toBeGreaterThanOrEqual(1);
      expect(joins).toBe(joinsBeforeOutage);
      expect(runtime.health().consumers[0]).toMatchObject({ healthy: true, joins, pausedPartitions: 0 });
      const retries = await runtime.metrics.retries.get();
      expect(retries.values.reduce((sum, v) => sum + v.value, 0)).toBe(store!.attemptsWhileDown());
      const deadLettered = await runtime.metrics.recordsDeadLettered.get();
      expect(deadLettered.values.reduce((sum, v) => sum + v.value, 0)).toBe(0);
    } finally {
      await runtime.stop();
    }
    expect((await kafka.readAll(`${topic}.dlq`, 0)).length).toBe(0);
  });

  it('commits the records before a per-record retriable failure and retries from that record', async () => {
    await using kafka = await kafkaSlice('partial');
    const { runtime, topic } = runtimeFor(kafka, 'partial');
    const groupId = kafka.groupId('partial');
    const seen: string[][] = [];
    let failedOnce = false;
    runtime.consume({
      groupId,
      events: ['ContentGenerated'],
      settings: { partitionsConsumedConcurrently: 2 },
      handler: async (records) => {
        seen.push(records.map((r) => r.event.contentId));
        const victim = records[5];
        if (!failedOnce && victim) {
          failedOnce = true;
          return BatchOutcome.failed({
            record: victim,
            error: new StoreUnavailableError('timeout on one row'),
          });
        }
      },
    });
    await runtime.start();
    try {
      // One key, so all 20 land on one partition in order.
      const sameRequest = randomUUID();
      const events = Array.from({ length: 20 }, () => aContentGenerated({ requestId: sameRequest }));
      await runtime.publisher.publishMany('ContentGenerated', events);
      await eventually(async () => (await kafka.committedTotal(groupId, topic)) === 20, 'commits', 30_000);
      const ids = events.map((e) => e.contentId);
      expect(seen[0]).toEqual(ids);
      // The retry starts at the failed record: the five before it were committed, not redone.
      expect(seen[1]).toEqual(ids.slice(5));
      expect(new Set(seen.flat())).toEqual(new Set(ids));
    } finally {
      await runtime.stop();
    }
  });
});
