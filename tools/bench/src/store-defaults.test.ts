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
    const item = vectorItemOf(event, vector);
    expect(item.vector).toBe(vector);
    expect([item.contentId, item.output]).toEqual([event.contentId, event.output]);
    const { userId, modelUsed, generatedAt, title } = event;
    expect(Object.entries(item.attributes)).toEqual(
      Object.entries({ userId, model: modelUsed, generatedAt, title }),
    );
  });
});
