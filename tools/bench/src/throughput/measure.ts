// The figures of one run, from the times its workers and the poller recorded.
import { STORES, type StoreName } from '@genstream/launcher';
import { latencyPercentiles } from '../stats.js';
import type { ThroughputSettings } from './options.js';
import type { RunMeasurement, SystemName } from './results.js';
import { recordOf, type Materialized } from './store-poller.js';
import type { Tracked } from './system-under-test.js';

export interface MeasureInput {
  readonly system: SystemName;
  readonly run: number;
  readonly settings: ThroughputSettings;
  readonly tracked: readonly Tracked[];
  /** Epoch ms the N requests were handed to the workers. */
  readonly burstAt: number;
  /** Per request (burst order): epoch ms a worker started on it, and was done with it. */
  readonly startedAt: readonly number[];
  readonly doneAt: readonly number[];
  readonly materialized: Materialized;
  readonly peaks: ReadonlyMap<string, number>;
  readonly generatedAt?: (requestId: string) => number | undefined;
}

export function measure(input: MeasureInput): RunMeasurement {
  const { tracked, startedAt, doneAt, materialized } = input;
  const seenAt = (store: StoreName, i: number) => materialized.seen[store].get(tracked[i]!.requestId)!;
  const lastStore = recordOf(() => 0);
  const everywhereAt = tracked.map((_, i) => {
    let last: StoreName = STORES[0];
    for (const store of STORES) if (seenAt(store, i) > seenAt(last, i)) last = store;
    lastStore[last]++;
    return seenAt(last, i);
  });
  const firstStart = Math.min(...startedAt);
  const durationMs = Math.max(...everywhereAt) - firstStart;
  const count = tracked.length;
  const measurement: RunMeasurement = {
    system: input.system,
    run: input.run,
    requests: count,
    concurrency: input.settings.concurrency,
    durationMs,
    eventsPerSecond: count / (Math.max(durationMs, 1) / 1000),
    latencyMs: latencyPercentiles(everywhereAt.map((at, i) => at - startedAt[i]!)),
    latencyFromBurstMs: latencyPercentiles(everywhereAt.map((at) => at - input.burstAt)),
    storeP50Ms: recordOf(
      (store) => latencyPercentiles(tracked.map((_, i) => seenAt(store, i) - startedAt[i]!)).p50,
    ),
    lastStore,
    pollIntervalMs: materialized.pollIntervalMs,
    peakRssBytes: Object.fromEntries(input.peaks),
  };
  if (input.system === 'genstream') {
    const generated = tracked.flatMap((item, i) => {
      const at = input.generatedAt?.(item.requestId);
      return at === undefined ? [] : [at - startedAt[i]!];
    });
    return {
      ...measurement,
      publishMs: Math.max(...doneAt) - firstStart,
      publishAckP50Ms: latencyPercentiles(doneAt.map((at, i) => at - startedAt[i]!)).p50,
      ...(generated.length > 0 ? { generatedP50Ms: latencyPercentiles(generated).p50 } : {}),
    };
  }
  return {
    ...measurement,
    handlerLatencyMs: latencyPercentiles(doneAt.map((at, i) => at - startedAt[i]!)),
    handlerEventsPerSecond: count / (Math.max(Math.max(...doneAt) - firstStart, 1) / 1000),
  };
}
