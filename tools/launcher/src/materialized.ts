import { contentIdOf } from '@genstream/events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoreReader } from './stores.js';

/** The four places one request ends up in. */
export const STORES = ['postgres', 'mongo', 'redis', 'vectors'] as const;
export type StoreName = (typeof STORES)[number];

/** When each store had a request, in ms after `since`. */
export interface Arrival {
  readonly requestId: string;
  readonly contentId: string;
  readonly ms: Readonly<Record<StoreName, number>>;
  /** The last of the four: the request is materialized everywhere. */
  readonly allMs: number;
}

export interface WaitForStoresOptions {
  /** Epoch ms the arrival times count from (default: now). */
  readonly since?: number;
  readonly timeoutMs?: number;
  /** Pause between polls of each store (default 20 ms). */
  readonly pollMs?: number;
  /** Called after each round with how many requests each store has so far. */
  readonly onProgress?: (counts: Readonly<Record<StoreName, number>>, total: number) => void;
}

/** A request the pipeline gave up on (its status in Redis says failed). */
export class GenerationFailedError extends Error {
  constructor(
    readonly requestId: string,
    readonly code: string,
    reason: string,
  ) {
    super(`request ${requestId} failed: ${code}: ${reason}`);
    this.name = 'GenerationFailedError';
  }
}

/**
 * Polls the four stores until every request is in each of them: its PostgreSQL row, its MongoDB
 * document, its done status in Redis (written by the cache-updater with the cache entry and the
 * user summary) and its vector set element. Each store is polled in a loop of its own, in bulk, for
 * the requests it still lacks, so a slow store does not delay noticing the others. Documents and
 * vector elements are looked up by the contentId the request id implies (see contentIdOf).
 */
export async function waitForStores(
  reader: StoreReader,
  requestIds: readonly string[],
  options: WaitForStoresOptions = {},
): Promise<Map<string, Arrival>> {
  const since = options.since ?? Date.now();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const pollMs = options.pollMs ?? 20;
  const contentIds = new Map(requestIds.map((id) => [id, contentIdOf(id)]));
  const seen = Object.fromEntries(STORES.map((store) => [store, new Map<string, number>()])) as Record<
    StoreName,
    Map<string, number>
  >;
  const pending = (store: StoreName) => requestIds.filter((id) => !seen[store].has(id));

  /** Request ids now found in the store (among those asked). */
  const checks: Record<StoreName, (ids: string[]) => Promise<Iterable<string>>> = {
    postgres: async (ids) => (await reader.contentIdsInPostgres(ids)).keys(),
    mongo: async (ids) => (await reader.contentIdsInMongo(ids)).keys(),
    redis: async (ids) => {
      const done: string[] = [];
      for (const [requestId, status] of await reader.statuses(ids)) {
        if (status.state === 'done') done.push(requestId);
        if (status.state === 'failed')
          throw new GenerationFailedError(requestId, status.code, status.message);
      }
      return done;
    },
    vectors: async (ids) => {
      const elements = await reader.vectorElements(ids.map((id) => contentIds.get(id)!));
      return ids.filter((id) => elements.has(contentIds.get(id)!));
    },
  };

  let failure: Error | undefined;
  const fail = (error: unknown) => {
    failure ??= error instanceof Error ? error : new Error(String(error));
  };
  // One loop per store, each asking only for what that store still lacks. A slow lookup delays
  // only its own store's time: FerretDB v1 finds an existing _id in ~2 ms but needs a collection
  // scan to say an _id is missing (~60 ms at 3,500 documents), so the MongoDB time is an upper
  // bound, up to one such scan late.
  const poll = async (store: StoreName) => {
    while (failure === undefined && pending(store).length > 0) {
      if (Date.now() > deadline) return fail(new Error(missingReport(requestIds, seen, timeoutMs)));
      try {
        const found = await checks[store](pending(store));
        const at = Date.now() - since;
        for (const requestId of found) seen[store].set(requestId, at);
      } catch (error) {
        return fail(error);
      }
      options.onProgress?.(
        Object.fromEntries(STORES.map((name) => [name, seen[name].size])) as Record<StoreName, number>,
        requestIds.length,
      );
      if (pending(store).length > 0) await sleep(pollMs);
    }
  };
  await Promise.all(STORES.map((store) => poll(store)));
  // The first failure (a failed request, a store error, the timeout) stops every loop.
  if (failure !== undefined) throw failure;

  return new Map(
    requestIds.map((requestId) => {
      const ms = Object.fromEntries(STORES.map((store) => [store, seen[store].get(requestId)!])) as Record<
        StoreName,
        number
      >;
      return [
        requestId,
        { requestId, contentId: contentIds.get(requestId)!, ms, allMs: Math.max(...Object.values(ms)) },
      ];
    }),
  );
}

function missingReport(
  requestIds: readonly string[],
  seen: Record<StoreName, Map<string, number>>,
  timeoutMs: number,
): string {
  const lines = STORES.map((store) => {
    const missing = requestIds.filter((id) => !seen[store].has(id));
    if (missing.length === 0) return `  ${store}: all ${requestIds.length}`;
    const some = missing.slice(0, 3).join(', ') + (missing.length > 3 ? ', ...' : '');
    return `  ${store}: ${missing.length} of ${requestIds.length} missing (${some})`;
  });
  return `not every request reached every store within ${timeoutMs / 1000} s:\n${lines.join('\n')}`;
}
