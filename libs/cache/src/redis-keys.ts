/**
 * Every Redis key the cache writes, in one place (DESIGN.md section 2: downstream teams rely on
 * these names). `prefix` is empty in production; tests pass their own to stay apart.
 */
export interface CacheKeys {
  /** JSON CachedResponse under the response cache key (see responseCacheKey). */
  response(key: string): string;
  /** The user's latest output, plain text, with a TTL. */
  userSummary(userId: number): string;
  /** JSON RequestStatus of a request. */
  requestStatus(requestId: string): string;
}

export function cacheKeys(prefix = ''): CacheKeys {
  return {
    response: (key) => `${prefix}genstream:cache:${key}`,
    userSummary: (userId) => `${prefix}user:${userId}:summary`,
    requestStatus: (requestId) => `${prefix}genstream:status:${requestId}`,
  };
}
