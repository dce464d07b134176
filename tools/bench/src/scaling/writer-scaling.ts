// Part one: each writer drains the same pre-filled topic with 1 and with N instances, each time a
// fresh consumer group into an empty store of its own; runs alternate which count goes first.
import type { Say } from '../runner/progress.js';
import { drainOnce, type DrainContext } from './drain.js';
import type { ConsumeMeasurement, WriterService } from './results.js';
import { openWriterStore, type StoreUrls } from './writer-stores.js';

export interface WriterPlan {
  readonly writers: readonly WriterService[];
  readonly instances: readonly number[];
  readonly runs: number;
  /** Schema, database and key prefix of this run's stores. */
  readonly isolation: string;
  readonly urls: StoreUrls;
}

/** Every drain of every writer, and the store each wrote to. */
export async function measureWriters(
  context: DrainContext,
  plan: WriterPlan,
  sayAs: (writer: WriterService) => Say,
): Promise<{ measurements: ConsumeMeasurement[]; stores: Map<WriterService, string> }> {
  const measurements: ConsumeMeasurement[] = [];
  const stores = new Map<WriterService, string>();
  for (const [i, writer] of plan.writers.entries()) {
    context.signal.throwIfAborted();
    const say = sayAs(writer);
    const store = await openWriterStore(writer, plan.isolation, plan.urls);
    stores.set(writer, store.store);
    say(
      `writer ${i + 1}/${plan.writers.length}: ${plan.instances.join(' vs ')} instance(s), ` +
        `${plan.runs} run(s), into ${store.store} (${plan.isolation})`,
    );
    try {
      for (let run = 1; run <= plan.runs; run++) {
        // 1, 3 in odd runs; 3, 1 in even ones: neither count always runs on a warmer machine.
        const order = run % 2 === 1 ? plan.instances : [...plan.instances].reverse();
        for (const instances of order) {
          measurements.push(await drainOnce({ ...context, say }, writer, store, instances, run));
        }
      }
    } finally {
      await store.remove().catch((error: unknown) => say(`could not remove its store: ${String(error)}`));
    }
  }
  return { measurements, stores };
}
