import type { EmbeddingProvider } from '@genstream/embeddings';
import type { ContentGenerated, ContentIndexedInput, EventInputTypes, EventTypes } from '@genstream/events';
import {
  BatchOutcome,
  EVENT_PUBLISHER,
  type ConsumedRecordOf,
  type Logger,
  type RecordFailure,
} from '@genstream/kafka';
import { SERVICE_CONFIG, SERVICE_LOGGER } from '@genstream/service';
import { Inject, Injectable } from '@nestjs/common';
import { VectorSetSwitchedError } from '@genstream/errors';
import type { Config } from '../config.js';
import { EMBEDDER } from '../repositories/embedding.provider.js';
import { VectorSetAliasRepository } from '../repositories/vector-set-alias.repository.js';
import type { VectorSetTarget } from '../repositories/vector-set-names.js';
import { embedderConflict } from './embedder-spec.js';
import {
  VectorIndexRepository,
  type AddBatchResult,
  type VectorItem,
} from '../repositories/vector-index-repository.js';

export type ContentRecord = ConsumedRecordOf<EventTypes, 'ContentGenerated'>;

/** What this service needs of the vector index (tests pass a fake). */
export interface VectorStore {
  addBatch(items: readonly VectorItem[], target?: VectorSetTarget): Promise<AddBatchResult>;
}

/** Which vector set the alias names now (tests pass a fake). */
export interface VectorSetAlias {
  current(): Promise<VectorSetTarget>;
}

/** What this service needs of the publisher. */
export interface IndexedPublisher {
  publishMany(name: 'ContentIndexed', events: readonly EventInputTypes['ContentIndexed'][]): Promise<void>;
}

/** The text embedded for a content: what a search is most likely to be about. */
export function embeddingText(event: ContentGenerated): string {
  return `${event.title}\n${event.output}`;
}

/** The vector set element of a content: its vector, the attributes a search filters on, its text. */
export function vectorItemOf(event: ContentGenerated, vector: Float32Array): VectorItem {
  const { contentId, userId, modelUsed: model, generatedAt, title, output, tenant } = event;
  return { contentId, vector, attributes: { userId, model, generatedAt, title, tenant }, output };
}

/**
 * A batch of ContentGenerated: ONE embed call, ONE pipeline into the vector set, then ONE
 * publishMany of ContentIndexed for what was indexed. An item the index refuses for good fails
 * its records alone; provider or store outages are thrown (the runtime pauses and retries the
 * batch: VADD overwrites, so a retry is harmless, and ContentIndexed may then be published twice).
 *
 * The set is the one the alias names at each batch, so after a reindex switches it new content
 * goes to the new set; the writes check the alias as they land (VectorSetSwitchedError when it
 * moved: the batch is retried into the new set). A set built by another embedder is not written:
 * the batch waits (retriable) until this instance is restarted with that embedder.
 */
@Injectable()
export class ContentIndexer {
  constructor(
    @Inject(EMBEDDER) private readonly embedder: EmbeddingProvider,
    @Inject(VectorIndexRepository) private readonly vectors: VectorStore,
    @Inject(VectorSetAliasRepository) private readonly alias: VectorSetAlias,
    @Inject(EVENT_PUBLISHER) private readonly publisher: IndexedPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: Pick<Config, 'REDIS_KEY_PREFIX'>,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async index(records: readonly ContentRecord[]): Promise<BatchOutcome> {
    const target = await this.alias.current();
    this.refuseOtherEmbedder(target);
    const contents = [...new Map(records.map((record) => [record.event.contentId, record.event])).values()];
    const embeddings = await this.embedder.embed(contents.map(embeddingText));
    this.refuseOtherEmbedder(target, embeddings[0]?.length);
    const items = contents.map((event, i) => vectorItemOf(event, embeddings[i]!));
    const result = await this.vectors.addBatch(items, target);

    const refused = new Map(result.failed.map((failure) => [failure.contentId, failure.error]));
    const failures: RecordFailure[] = [];
    for (const record of records) {
      const error = refused.get(record.event.contentId);
      if (error === undefined) continue;
      this.logger.warn('content not indexed', {
        requestId: record.event.requestId,
        contentId: record.event.contentId,
        error: error.message,
      });
      failures.push({ record, error });
    }

    const indexedAt = Date.now();
    const indexed = contents
      .filter((event) => !refused.has(event.contentId))
      .map((event): ContentIndexedInput => ({
        contentId: event.contentId,
        requestId: event.requestId,
        userId: event.userId,
        vectorSet: `${this.config.REDIS_KEY_PREFIX}${target.set}`,
        dimension: this.embedder.dimension,
        embeddingModel: this.embedder.name,
        indexedAt,
        tenant: event.tenant,
        correlationId: event.correlationId,
      }));
    if (indexed.length > 0) await this.publisher.publishMany('ContentIndexed', indexed);
    this.logger.debug('content indexed', {
      records: records.length,
      added: result.added,
      updated: result.updated,
      failed: result.failed.length,
    });
    return BatchOutcome.failed(...failures);
  }

  private refuseOtherEmbedder(target: VectorSetTarget, dimension?: number): void {
    const conflict = embedderConflict(target, { name: this.embedder.name, dimension });
    if (conflict === undefined) return;
    throw new VectorSetSwitchedError(`${conflict}; until then indexing waits, the records kept in Kafka`, {
      details: { vectorSet: target.set },
    });
  }
}
