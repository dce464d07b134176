import { describe, expect, it } from 'vitest';
import { StallWatchdog, keyOf, type TopicPartition } from './stall-watchdog.js';

function watchdogWith(backlogs: Record<string, bigint>, paused: readonly string[] = []) {
  let now = 0;
  const restarts: TopicPartition[][] = [];
  const asked: TopicPartition[][] = [];
  const watchdog = new StallWatchdog(
    {
      now: () => now,
      backlog: async (partitions) => {
        asked.push([...partitions]);
        return new Map(Object.entries(backlogs));
      },
      isPaused: (topic, partition) => paused.includes(keyOf({ topic, partition })),
      restart: async (stalled) => {
        restarts.push([...stalled]);
      },
    },
    20_000,
  );
  watchdog.assign([
    { topic: 't', partition: 0 },
    { topic: 't', partition: 1 },
  ]);
  return { watchdog, restarts, asked, advance: (ms: number) => (now += ms) };
}

describe('StallWatchdog', () => {
  it('restarts for a quiet partition that has records waiting, and only for it', async () => {
    const { watchdog, restarts, advance } = watchdogWith({ 't|0': 12n, 't|1': 0n });
    advance(20_000);
    expect(await watchdog.check()).toEqual([{ topic: 't', partition: 0 }]);
    expect(restarts).toEqual([[{ topic: 't', partition: 0 }]]);
  });

  it('asks nothing while every partition showed progress recently', async () => {
    const { watchdog, asked, advance } = watchdogWith({ 't|0': 12n });
    advance(15_000);
    for (const partition of [0, 1]) {
      watchdog.batchStarted('t', partition);
      watchdog.batchEnded('t', partition);
    }
    advance(10_000);
    expect(await watchdog.check()).toEqual([]);
    expect(asked).toEqual([]);
  });

  it('leaves alone a partition paused for a retry and one whose batch is still running', async () => {
    const { watchdog, restarts, advance } = watchdogWith({ 't|0': 5n, 't|1': 5n }, ['t|1']);
    watchdog.batchStarted('t', 0);
    advance(60_000);
    expect(await watchdog.check()).toEqual([]);
    expect(restarts).toEqual([]);
  });

  it("does not count the time another partition's slow batch holds the member up", async () => {
    const { watchdog, restarts, advance } = watchdogWith({ 't|0': 5n, 't|1': 5n });
    advance(5_000);
    watchdog.batchStarted('t', 1);
    advance(60_000); // a store timing out: partition 0 waits behind it
    expect(await watchdog.check()).toEqual([]);
    watchdog.batchEnded('t', 1);
    advance(14_000); // 19 s idle in all for partition 0
    expect(await watchdog.check()).toEqual([]);
    advance(1_000);
    expect(await watchdog.check()).toEqual([{ topic: 't', partition: 0 }]);
    expect(restarts).toHaveLength(1);
  });

  it('gives a resumed partition a full period before it counts as stalled', async () => {
    const { watchdog, advance } = watchdogWith({ 't|0': 5n, 't|1': 0n });
    advance(19_000);
    watchdog.resumed('t', 0);
    advance(5_000);
    expect(await watchdog.check()).toEqual([]);
    advance(15_000);
    expect(await watchdog.check()).toEqual([{ topic: 't', partition: 0 }]);
  });

  it('treats an idle partition (nothing to read) as fine, and asks again only a period later', async () => {
    const { watchdog, asked, advance } = watchdogWith({ 't|0': 0n, 't|1': 0n });
    advance(20_000);
    expect(await watchdog.check()).toEqual([]);
    advance(5_000);
    expect(await watchdog.check()).toEqual([]);
    expect(asked).toHaveLength(1);
  });
});
