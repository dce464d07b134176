export { normalizePrompt, responseCacheKey, type CacheKeyRequest } from './cache-key.js';
export type {
  AcceptedStatus,
  CachedResponse,
  DoneStatus,
  FailedStatus,
  RequestStatus,
} from './cache-records.js';
export { parseCachedResponse, parseRequestStatus, type EntryFields } from './parse-records.js';
export { cacheKeys, type CacheKeys } from './redis-keys.js';
export {
  ResponseCacheRepository,
  type GeneratedTtls,
  type ResponseCacheOptions,
  type WriteGeneratedResult,
} from './repositories/response-cache-repository.js';
