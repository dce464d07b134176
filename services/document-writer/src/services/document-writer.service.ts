import type { ContentGenerated, EventTypes } from '@genstream/events';
import { BatchOutcome, type ConsumedRecordOf, type Logger, type RecordFailure } from '@genstream/kafka';
import { SERVICE_LOGGER } from '@genstream/service';
import { Inject, Injectable } from '@nestjs/common';
import { DocumentRepository, type SaveDocumentsResult } from '../repositories/document-repository.js';

export type ContentRecord = ConsumedRecordOf<EventTypes, 'ContentGenerated'>;

/** What this service needs of the repository (tests pass a fake). */
export interface DocumentStore {
  saveBatch(events: readonly ContentGenerated[]): Promise<SaveDocumentsResult>;
}

/**
 * One batch of ContentGenerated into MongoDB with one insertMany. Documents refused for good
 * fail their records alone (dead-lettered by the runtime); a store outage is thrown, and the
 * runtime pauses and retries the batch (duplicates are then recognised by `_id`).
 */
@Injectable()
export class DocumentWriter {
  constructor(
    @Inject(DocumentRepository) private readonly store: DocumentStore,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async write(records: readonly ContentRecord[]): Promise<BatchOutcome> {
    const result = await this.store.saveBatch(records.map((record) => record.event));
    this.logger.debug('documents written', {
      records: records.length,
      inserted: result.inserted,
      duplicates: result.duplicates,
      failed: result.failed.length,
    });
    const failures: RecordFailure[] = [];
    for (const { contentId, error } of result.failed) {
      for (const record of records.filter((candidate) => candidate.event.contentId === contentId)) {
        this.logger.warn('document refused by MongoDB', {
          requestId: record.event.requestId,
          contentId,
          error: error.message,
        });
        failures.push({ record, error });
      }
    }
    return BatchOutcome.failed(...failures);
  }
}
