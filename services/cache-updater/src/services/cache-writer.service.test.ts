import { StoreUnavailableError } from '@genstream/errors';
import type { ContentGenerated } from '@genstream/events';
import { aContentGenerated, aGenerationFailed } from '@genstream/events/testing';
import { silentLogger } from '@genstream/kafka';
import { recordOf } from '@genstream/kafka/testing';
import { describe, expect, it } from 'vitest';
import type { Config } from '../config.js';
import { CacheWriter, type CacheStore } from './cache-writer.service.js';

const config = {
  CACHE_TTL_SECONDS: 600,
  USER_SUMMARY_TTL_SECONDS: 900,
  REQUEST_STATUS_TTL_SECONDS: 1200,
} as Config;

function fakeStore() {
  const calls: unknown[][] = [];
  const store: CacheStore = {
    async writeGenerated(events: readonly ContentGenerated[], ttls) {
      calls.push(['writeGenerated', events.map((event) => event.contentId), ttls]);
      return { cached: events.length, summaries: 1, statuses: events.length };
    },
    async markFailed(requestId, failure, ttlSeconds) {
      calls.push(['markFailed', requestId, failure, ttlSeconds]);
      return true;
    },
  };
  return { store, calls };
}

describe('CacheWriter', () => {
  it('writes generated content in one call with the configured TTLs', async () => {
    const events = [aContentGenerated(), aContentGenerated()];
    const { store, calls } = fakeStore();
    await new CacheWriter(store, config, silentLogger).write(
      events.map((e, i) => recordOf('ContentGenerated', e, i)),
    );
    expect(calls).toEqual([
      [
        'writeGenerated',
        events.map((event) => event.contentId),
        { ttlSeconds: 600, summaryTtlSeconds: 900, statusTtlSeconds: 1200 },
      ],
    ]);
  });

  it('marks each failed request with its reason', async () => {
    const failure = aGenerationFailed();
    const { store, calls } = fakeStore();
    await new CacheWriter(store, config, silentLogger).write([recordOf('GenerationFailed', failure, 0)]);
    expect(calls).toEqual([
      [
        'markFailed',
        failure.requestId,
        { code: failure.reasonCode, message: failure.message, tenant: failure.tenant },
        1200,
      ],
    ]);
  });

  it('throws when Redis is unavailable, for the runtime to retry', async () => {
    const store: CacheStore = {
      writeGenerated: () => Promise.reject(new StoreUnavailableError('Redis failed')),
      markFailed: async () => true,
    };
    await expect(
      new CacheWriter(store, config, silentLogger).write([
        recordOf('ContentGenerated', aContentGenerated(), 0),
      ]),
    ).rejects.toThrow(StoreUnavailableError);
  });
});
