import type { GeneratedTtls, WriteGeneratedResult } from '@genstream/cache';
import { ResponseCacheRepository } from '@genstream/cache';
import type { ContentGenerated, EventTypes } from '@genstream/events';
import type { ConsumedRecordOf, Logger } from '@genstream/kafka';
import { SERVICE_CONFIG, SERVICE_LOGGER } from '@genstream/service';
import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../config.js';

export type CacheRecord = ConsumedRecordOf<EventTypes, 'ContentGenerated' | 'GenerationFailed'>;

/** What this service needs of the cache repository (tests pass a fake). */
export interface CacheStore {
  writeGenerated(events: readonly ContentGenerated[], ttls: GeneratedTtls): Promise<WriteGeneratedResult>;
  markFailed(
    requestId: string,
    failure: { readonly code: string; readonly message: string; readonly tenant: string | null },
    ttlSeconds: number,
  ): Promise<boolean>;
}

/**
 * A batch of ContentGenerated (response cache entry, user summary, done status: one pipeline) or
 * GenerationFailed (failed status, unless the request is already done). Every write is an
 * idempotent overwrite; any failure is Redis being unavailable, thrown for the runtime to pause
 * and retry the batch.
 */
@Injectable()
export class CacheWriter {
  private readonly ttls: GeneratedTtls;
  private readonly statusTtlSeconds: number;

  constructor(
    @Inject(ResponseCacheRepository) private readonly store: CacheStore,
    @Inject(SERVICE_CONFIG) config: Config,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.ttls = {
      ttlSeconds: config.CACHE_TTL_SECONDS,
      summaryTtlSeconds: config.USER_SUMMARY_TTL_SECONDS,
      statusTtlSeconds: config.REQUEST_STATUS_TTL_SECONDS,
    };
    this.statusTtlSeconds = config.REQUEST_STATUS_TTL_SECONDS;
  }

  async write(records: readonly CacheRecord[]): Promise<void> {
    const generated: ContentGenerated[] = [];
    const failures: Promise<boolean>[] = [];
    for (const record of records) {
      switch (record.name) {
        case 'ContentGenerated':
          generated.push(record.event);
          break;
        case 'GenerationFailed':
          failures.push(
            this.store.markFailed(
              record.event.requestId,
              { code: record.event.reasonCode, message: record.event.message, tenant: record.event.tenant },
              this.statusTtlSeconds,
            ),
          );
          break;
      }
    }
    const [written, marked] = await Promise.all([
      generated.length > 0 ? this.store.writeGenerated(generated, this.ttls) : undefined,
      Promise.all(failures),
    ]);
    this.logger.debug('cache updated', {
      records: records.length,
      ...written,
      failedStatuses: marked.filter(Boolean).length,
    });
  }
}
