import { aContentGenerated } from '@genstream/events/testing';
import { describe, expect, it } from 'vitest';
import { cacheUpdaterTtls, vectorItemOf } from './store-defaults.js';

describe('store defaults', () => {
  it("are the cache-updater's TTL defaults", () => {
    expect(cacheUpdaterTtls()).toEqual({
      ttlSeconds: 3_600,
      summaryTtlSeconds: 86_400,
      statusTtlSeconds: 86_400,
    });
  });

  it('map a content to the vector set element the indexer adds', () => {
    const event = aContentGenerated();
    const vector = new Float32Array([1, 0]);
    expect(vectorItemOf(event, vector)).toEqual({
      contentId: event.contentId,
      vector,
      attributes: {
        userId: event.userId,
        model: event.modelUsed,
        generatedAt: event.generatedAt,
        title: event.title,
      },
      output: event.output,
    });
  });
});
