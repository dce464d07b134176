import { ResponseCacheRepository, type RequestStatus } from '@genstream/cache';
import type { Redis } from 'ioredis';

/**
 * Where a request stands, for the HTTP API: the status records of @genstream/cache. This service
 * writes only `accepted`; the cache-updater writes `done` and `failed`.
 */
export class StatusRepository {
  private readonly statuses: ResponseCacheRepository;

  constructor(
    redis: Redis,
    private readonly ttlSeconds: number,
    options: { readonly keyPrefix?: string } = {},
  ) {
    this.statuses = new ResponseCacheRepository(redis, { keyPrefix: options.keyPrefix });
  }

  /** Never overwrites a status already there (a fast answer may be done before this runs). */
  async markAccepted(requestId: string, tenant: string | null): Promise<boolean> {
    return this.statuses.markAccepted(requestId, this.ttlSeconds, tenant);
  }

  async status(requestId: string): Promise<RequestStatus | undefined> {
    return this.statuses.status(requestId);
  }
}
