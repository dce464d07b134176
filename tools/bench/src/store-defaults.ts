// What the services write with when nothing is configured, read from their own config schemas so
// that a bench writes the way the deployed service does.
import type { GeneratedTtls } from '@genstream/cache';
import { configSchema as cacheUpdaterConfig } from '@genstream/cache-updater';

/** The cache-updater's CACHE_TTL_SECONDS, USER_SUMMARY_TTL_SECONDS, REQUEST_STATUS_TTL_SECONDS defaults. */
export function cacheUpdaterTtls(): GeneratedTtls {
  const fallback = (field: { readonly fallback?: () => number }) => {
    const value = field.fallback?.();
    if (value === undefined) throw new Error('the cache-updater has no default TTL');
    return value;
  };
  return {
    ttlSeconds: fallback(cacheUpdaterConfig.CACHE_TTL_SECONDS),
    summaryTtlSeconds: fallback(cacheUpdaterConfig.USER_SUMMARY_TTL_SECONDS),
    statusTtlSeconds: fallback(cacheUpdaterConfig.REQUEST_STATUS_TTL_SECONDS),
  };
}
