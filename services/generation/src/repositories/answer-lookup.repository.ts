import { redisCommand } from '@genstream/service/redis';
import type { Redis } from 'ioredis';
import type { AnswerKey, AnswerLookup, FoundAnswer } from '../services/ports.js';
import { generationKeys, type GenerationKeys } from './flight-keys.js';
import { parseCachedAnswer, parseFlightResult } from './stored-answers.js';

/**
 * Finds the answers a batch already has, in ONE round trip: a single MGET of every flight result
 * and every response cache entry. A flight result wins over a cache entry: it is at most a few
 * minutes old, carries its latency, and for a redelivered request names the request itself.
 */
export class AnswerLookupRepository implements AnswerLookup {
  private readonly keys: GenerationKeys;

  constructor(
    private readonly redis: Redis,
    options: { readonly keyPrefix?: string } = {},
  ) {
    this.keys = generationKeys(options.keyPrefix);
  }

  async lookupMany(keys: readonly AnswerKey[]): Promise<(FoundAnswer | undefined)[]> {
    if (keys.length === 0) return [];
    const names: string[] = [];
    // Per key: where its flight result and its cache entry (if cacheable) are in the reply.
    const slots = keys.map(({ flightId, cacheKey }) => {
      const flight = names.push(this.keys.flight(flightId)) - 1;
      const cache = cacheKey === undefined ? undefined : names.push(this.keys.response(cacheKey)) - 1;
      return { flight, cache };
    });
    const values = await redisCommand('answer lookup', () => this.redis.mget(names));
    return slots.map(({ flight, cache }) => {
      const flightText = values[flight];
      const fromFlight = flightText == null ? undefined : parseFlightResult(flightText);
      if (fromFlight) return { answer: fromFlight, source: 'flight' };
      const cacheText = cache === undefined ? null : values[cache];
      const fromCache = cacheText == null ? undefined : parseCachedAnswer(cacheText);
      return fromCache ? { answer: fromCache, source: 'cache' } : undefined;
    });
  }
}
