import { ContractViolationError } from '@genstream/errors';
import type { ContentGenerated, EventTypes } from '@genstream/events';
import { BatchOutcome, type ConsumedRecordOf, type Logger, type RecordFailure } from '@genstream/kafka';
import { SERVICE_LOGGER } from '@genstream/service';
import { Inject, Injectable } from '@nestjs/common';
import { ContentRepository, type SaveBatchResult } from '../repositories/content-repository.js';

export type ContentRecord = ConsumedRecordOf<EventTypes, 'ContentGenerated'>;

/** What this service needs of the repository (tests pass a fake). */
export interface ContentStore {
  saveBatch(events: readonly ContentGenerated[]): Promise<SaveBatchResult>;
}

/**
 * One batch of ContentGenerated into PostgreSQL, in one transaction. A record PostgreSQL refuses
 * for good (ContractViolationError naming its contentId) is set aside and the rest written again,
 * so one bad record never holds back or loses the others. A store outage (StoreUnavailableError)
 * is thrown: the runtime pauses and retries the batch.
 */
@Injectable()
export class ContentWriter {
  constructor(
    @Inject(ContentRepository) private readonly store: ContentStore,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async write(records: readonly ContentRecord[]): Promise<BatchOutcome> {
    const failed: RecordFailure[] = [];
    let remaining = records;
    while (remaining.length > 0) {
      try {
        const result = await this.store.saveBatch(remaining.map((record) => record.event));
        this.logger.debug('content rows written', { records: remaining.length, ...result });
        break;
      } catch (error) {
        const culprit = culpritOf(error);
        const guilty = remaining.filter((record) => record.event.contentId === culprit);
        // No record named (or none of ours): the runtime splits the batch to find it.
        if (guilty.length === 0) throw error;
        for (const record of guilty) {
          this.logger.warn('content refused by PostgreSQL', {
            requestId: record.event.requestId,
            contentId: culprit,
            error: (error as Error).message,
          });
          failed.push({ record, error });
        }
        remaining = remaining.filter((record) => record.event.contentId !== culprit);
      }
    }
    return BatchOutcome.failed(...failed);
  }
}

function culpritOf(error: unknown): string | undefined {
  if (!(error instanceof ContractViolationError)) return undefined;
  const contentId = error.details.contentId;
  return typeof contentId === 'string' ? contentId : undefined;
}
