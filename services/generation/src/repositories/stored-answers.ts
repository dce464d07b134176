import { parseCachedResponse, type EntryFields } from '@genstream/cache';
import type { StoredAnswer } from '../services/ports.js';

// Both are read with the response cache's own parser, so a flight result and a cache entry follow
// one set of rules: anything without the expected shape is absent (a miss), never trusted.

/** A flight result as written by FlightRepository.complete: a cache entry and its latency. */
export function parseFlightResult(text: string): StoredAnswer | undefined {
  return parseCachedResponse(text, latencyOf);
}

/** A response cache entry as the cache-updater writes it: it does not say how long it took. */
export function parseCachedAnswer(text: string): StoredAnswer | undefined {
  return parseCachedResponse(text, () => ({ latencyMs: null }));
}

function latencyOf(entry: EntryFields): Pick<StoredAnswer, 'latencyMs'> {
  return { latencyMs: typeof entry.latencyMs === 'number' ? entry.latencyMs : null };
}
