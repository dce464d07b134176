import { aContentGenerated } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import { eventually, kafkaSlice, sliceRuntime } from './support/kafka-slice.js';

describe('stop() (real broker)', () => {
  it('commits the batch in flight before leaving', async () => {
    await using kafka = await kafkaSlice('graceful');
    const { runtime, topics } = sliceRuntime(kafka, 'graceful-test', { partitions: 1 });
    const groupId = kafka.groupId('graceful');
    let inFlight = false;
    let finished = 0;
    runtime.consume({
      groupId,
      events: ['ContentGenerated'],
      handler: async (records) => {
        inFlight = true;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        finished += records.length;
      },
    });
    await runtime.start();
    await runtime.publisher.publishMany(
      'ContentGenerated',
      Array.from({ length: 12 }, () => aContentGenerated()),
    );
    await eventually(() => inFlight, 'a batch in flight', 20_000);
    expect(await runtime.stop()).toBe(true);
    expect(finished).toBe(12);
    expect(await kafka.committedTotal(groupId, topics.ContentGenerated)).toBe(12);
  });

  it('gives up after shutdownTimeoutMs when a handler hangs, without committing its batch', async () => {
    await using kafka = await kafkaSlice('hung');
    const { runtime, topics } = sliceRuntime(kafka, 'hung-test', { partitions: 1, shutdownTimeoutMs: 1_500 });
    const groupId = kafka.groupId('hung');
    let release: () => void = () => {};
    const hung = new Promise<void>((resolve) => (release = resolve));
    let inFlight = false;
    runtime.consume({
      groupId,
      events: ['ContentGenerated'],
      handler: async () => {
        inFlight = true;
        await hung;
      },
    });
    await runtime.start();
    await runtime.publisher.publish('ContentGenerated', aContentGenerated());
    await eventually(() => inFlight, 'a batch in flight', 20_000);
    const begun = Date.now();
    expect(await runtime.stop()).toBe(false);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(1_400);
    expect(Date.now() - begun).toBeLessThan(5_000);
    expect(await kafka.committedTotal(groupId, topics.ContentGenerated)).toBe(0);
    // Let the abandoned handler end so the client can finish disconnecting.
    release();
    await eventually(() => !runtime.health().consumers.some((c) => c.state !== 'stopped'), 'stopped', 15_000);
  });
});
