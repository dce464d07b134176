import { describe, expect, it } from 'vitest';
import { cacheUpdaterTtls } from './store-defaults.js';

describe('store defaults', () => {
  it("are the cache-updater's TTL defaults", () => {
    expect(cacheUpdaterTtls()).toEqual({
      ttlSeconds: 3_600,
      summaryTtlSeconds: 86_400,
      statusTtlSeconds: 86_400,
    });
  });
});
