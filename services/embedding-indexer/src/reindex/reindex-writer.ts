import type { EmbeddingProvider } from '@genstream/embeddings';
import { BatchOutcome, type RecordFailure } from '@genstream/kafka';
import type { VectorIndexRepository } from '../repositories/vector-index-repository.js';
import { embeddingText, vectorItemOf, type ContentRecord } from '../services/content-indexer.service.js';

/** What a run of the reindex wrote, for its summary. */
export interface WriterCounts {
  /** Contents embedded and written (a record read again after a crash counts again). */
  written: number;
  /** Contents the index refused for good (dead-lettered, as the live indexer does). */
  refused: number;
}

/**
 * The reindex's batch handler: the live indexer's embedding text and element, one embed call and
 * one pipeline per batch, into the new set only. It publishes no ContentIndexed: the contents were
 * announced when they were first indexed, and nothing about them changed for a consumer.
 */
export function reindexWriter(
  embedder: EmbeddingProvider,
  index: Pick<VectorIndexRepository, 'addBatch'>,
  counts: WriterCounts,
) {
  return async (records: readonly ContentRecord[]): Promise<BatchOutcome> => {
    const contents = [...new Map(records.map((record) => [record.event.contentId, record.event])).values()];
    const vectors = await embedder.embed(contents.map(embeddingText));
    const result = await index.addBatch(contents.map((event, i) => vectorItemOf(event, vectors[i]!)));
    const refused = new Map(result.failed.map((failure) => [failure.contentId, failure.error]));
    counts.written += contents.length - refused.size;
    counts.refused += refused.size;
    const failures: RecordFailure[] = records.flatMap((record) => {
      const error = refused.get(record.event.contentId);
      return error === undefined ? [] : [{ record, error }];
    });
    return BatchOutcome.failed(...failures);
  };
}
