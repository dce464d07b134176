// Seeing a run's requests arrive in the four stores.
import { setTimeout as sleep } from 'node:timers/promises';
import { STORES, type StoreName, type StoreReader } from '@genstream/launcher';
import { presentIn } from './store-presence.js';
import type { StoreTarget, Tracked } from './system-under-test.js';

export interface MaterializedOptions {
  readonly pollMs: number;
  /** Epoch ms. */
  readonly deadline: number;
  readonly signal: AbortSignal;
  /** Called before every check; throwing stops the wait (e.g. a service died). */
  readonly check: () => void;
  /** About once a second, how many requests each store has. */
  readonly onProgress: (counts: Readonly<Record<StoreName, number>>) => void;
}

export interface Materialized {
  /** Per store: request id -> epoch ms it was first seen there. */
  readonly seen: Readonly<Record<StoreName, ReadonlyMap<string, number>>>;
  readonly pollIntervalMs: Readonly<Record<StoreName, number>>;
}

/**
 * Polls each store in a loop of its own, asking only for the requests it still lacks, until every
 * request is in all four. A time is when the answer that first showed the request came back.
 */
export async function waitMaterialized(
  reader: StoreReader,
  target: StoreTarget,
  items: readonly Tracked[],
  options: MaterializedOptions,
): Promise<Materialized> {
  const seen = recordOf(() => new Map<string, number>());
  const pollIntervalMs = recordOf(() => 0);
  let failure: unknown;
  const progress = setInterval(() => options.onProgress(recordOf((store) => seen[store].size)), 1_000);
  /** Checks until `arrived` has every item; returns the mean time between two checks. */
  const until = async (
    arrived: Map<string, number>,
    check: (pending: readonly Tracked[]) => Promise<Map<string, number>>,
  ): Promise<number> => {
    const began = Date.now();
    let rounds = 0;
    let pending = items;
    while (pending.length > 0 && failure === undefined) {
      options.signal.throwIfAborted();
      options.check();
      if (Date.now() > options.deadline) {
        const missing = STORES.map((name) => `${name} ${items.length - seen[name].size}`).join(', ');
        throw new Error(`not every request reached every store in time; missing: ${missing}`);
      }
      for (const [requestId, at] of await check(pending)) arrived.set(requestId, at);
      rounds++;
      pending = pending.filter((item) => !arrived.has(item.requestId));
      if (pending.length > 0) await sleep(options.pollMs);
    }
    return rounds > 0 ? (Date.now() - began) / rounds : 0;
  };
  const seenNow = (store: StoreName) => async (pending: readonly Tracked[]) => {
    const found = await presentIn(reader, store, target, pending);
    const at = Date.now();
    return new Map(found.map((item) => [item.requestId, at]));
  };
  const poll = async (store: StoreName) => {
    if (store !== 'mongo') {
      pollIntervalMs[store] = await until(seen[store], seenNow(store));
      return;
    }
    // FerretDB v1 answers `_id: {$in}` with a scan of the whole collection in its Go layer
    // (~0.2-0.4 ms per document here) over a snapshot taken when the scan began, so a polled
    // document shows one to two scans (seconds, at a few thousand documents) after it was
    // written, and the scans slow the writers down. The times come from the acknowledgements
    // instead; every document is then confirmed by `_id: {$in}` before the run counts as done.
    pollIntervalMs.mongo = await until(seen.mongo, (pending) => target.mongoAcknowledged(pending));
    await until(new Map(), seenNow('mongo'));
  };
  try {
    await Promise.all(
      STORES.map((store) =>
        poll(store).catch((error: unknown) => {
          failure ??= error;
          throw error;
        }),
      ),
    );
  } finally {
    clearInterval(progress);
  }
  return { seen, pollIntervalMs };
}

/** One value per store. */
export function recordOf<T>(value: (store: StoreName) => T): Record<StoreName, T> {
  return Object.fromEntries(STORES.map((store) => [store, value(store)])) as Record<StoreName, T>;
}
