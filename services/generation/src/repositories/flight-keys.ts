import { cacheKeys } from '@genstream/cache';

/**
 * The Redis keys of the generation service. The flight's id is a Redis hash tag (`{...}`) in both
 * its keys, so lock and result live in the same cluster slot and one script may touch both.
 * `prefix` is empty in production; tests pass their own.
 */
export interface GenerationKeys {
  /** The response cache entry written by the cache-updater (`genstream:cache:{key}`, no hash tag). */
  response(cacheKey: string): string;
  /** The single-flight lock: a token, with a short TTL. */
  lock(flightId: string): string;
  /** The single-flight result: a JSON StoredAnswer, kept resultTtlMs. */
  flight(flightId: string): string;
}

export function generationKeys(prefix = ''): GenerationKeys {
  const cache = cacheKeys(prefix);
  return {
    response: (cacheKey) => cache.response(cacheKey),
    lock: (flightId) => `${prefix}genstream:lock:{${flightId}}`,
    flight: (flightId) => `${prefix}genstream:flight:{${flightId}}`,
  };
}
